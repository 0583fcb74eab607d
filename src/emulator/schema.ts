import type { JsonValue } from '../supervisor/api';

/**
 * voluptuous-style validation of the small request bodies the emulator checks, with the texts
 * `humanize_error` gives (supervisor/api/utils.py:246-257 `api_validate`): `extra keys not allowed
 * @ data['k']. Got 'v'`, `required key not provided @ data['k']. Got None`, `expected str for
 * dictionary value @ data['k']. Got 1`, `expected boolean for dictionary value @ data['k']. Got 'x'`.
 */

/** One key of a schema: its type and whether it must be there. */
export interface KeySpec {
  readonly type: 'str' | 'boolean';
  readonly required: boolean;
}

/** A body schema: key → spec; keys not listed are rejected, as `vol.Schema` does by default. */
export type BodySchema = Readonly<Record<string, KeySpec>>;

/** `{force?: vol.Boolean()}`: supervisor/api/host.py:113-117 SCHEMA_SHUTDOWN, supervisor/api/homeassistant.py:78-82 SCHEMA_STOP. */
export const FORCE_SCHEMA: BodySchema = { force: { type: 'boolean', required: false } };
/** `{safe_mode?, force?}`: supervisor/api/homeassistant.py:71-76 SCHEMA_RESTART. */
export const RESTART_SCHEMA: BodySchema = { safe_mode: { type: 'boolean', required: false }, force: { type: 'boolean', required: false } };
/** `{username: str, password: str}`: supervisor/api/auth.py:32 SCHEMA_PASSWORD_RESET. */
export const RESET_SCHEMA: BodySchema = { username: { type: 'str', required: true }, password: { type: 'str', required: true } };

/** Strings vol.Boolean() accepts (voluptuous validators.Boolean). */
const BOOLEAN_WORDS = new Set(['1', 'true', 'yes', 'on', 'enable', '0', 'false', 'no', 'off', 'disable']);

/** The first problem of `body` against `schema` as voluptuous words it; undefined when valid (pure). */
export function validateBody(body: { [key: string]: JsonValue }, schema: BodySchema): string | undefined {
  for (const key of Object.keys(body)) {
    if (schema[key] === undefined) return `extra keys not allowed @ data['${key}']. Got ${pythonRepr(body[key] ?? null)}`;
  }
  for (const [key, spec] of Object.entries(schema)) {
    const value = body[key];
    if (value === undefined) {
      if (spec.required) return `required key not provided @ data['${key}']. Got None`;
      continue;
    }
    if (spec.type === 'str' && typeof value !== 'string') return `expected str for dictionary value @ data['${key}']. Got ${pythonRepr(value)}`;
    if (spec.type === 'boolean' && !isVolBoolean(value)) return `expected boolean for dictionary value @ data['${key}']. Got ${pythonRepr(value)}`;
  }
  return undefined;
}

function isVolBoolean(value: JsonValue): boolean {
  if (typeof value === 'boolean' || typeof value === 'number') return true;
  return typeof value === 'string' && BOOLEAN_WORDS.has(value.toLowerCase());
}

/** A JSON value as Python's repr() prints the decoded value (what humanize_error puts after "Got"). */
export function pythonRepr(value: JsonValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return `${quote}${quote === "'" ? escaped.replace(/'/g, "\\'") : escaped}${quote}`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}
