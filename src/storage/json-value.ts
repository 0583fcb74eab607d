/**
 * JSON values as Home Assistant's stores hold them, kept exact for a byte-identical round trip:
 * objects keep their key order (Python dicts do; JS objects move integer-like keys first) and
 * numbers keep their source text (`1800.0` stays `1800.0`, big integers stay exact).
 */

/** A JSON number kept as written. */
export class JsonNumber {
  constructor(readonly raw: string) {}

  /** The numeric value (may lose precision for huge integers). */
  get value(): number {
    return Number(this.raw);
  }

  /** A number written the way Python writes an int. */
  static fromInteger(value: number): JsonNumber {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    return new JsonNumber(String(value));
  }
}

/** A JSON object with its key order. */
export type JsonObject = Map<string, JsonValue>;

/** Any JSON value. */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** True for a JSON object. */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return value instanceof Map;
}

/** True for a JSON array. */
export function isJsonArray(value: JsonValue | undefined): value is JsonValue[] {
  return Array.isArray(value);
}

/** Integer value of a JSON number, or undefined for anything else (incl. `1.5`). */
export function asInteger(value: JsonValue | undefined): number | undefined {
  if (!(value instanceof JsonNumber)) return undefined;
  const n = value.value;
  return Number.isInteger(n) ? n : undefined;
}

/** Human name of a value's JSON type, for error messages. */
export function jsonTypeName(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return 'number';
  if (value instanceof Map) return 'object';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
