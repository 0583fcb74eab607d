import { JsonNumber, type JsonObject, type JsonValue } from './json-value';

/** A JSON syntax error with the 1-based line and column where it was found. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
  }
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const MAX_DEPTH = 512;

/**
 * Parses UTF-8 JSON text strictly (RFC 8259, as orjson does: no BOM, no comments, no NaN,
 * no lone surrogates, no invalid UTF-8) into exact {@link JsonValue}s.
 */
export function parseJson(bytes: Uint8Array): JsonValue {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw positionError(new TextDecoder().decode(bytes.subarray(0, bad)), bad, 'invalid UTF-8');
  }
  return new Parser(text).parseDocument();
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid));
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

function positionError(text: string, index: number, reason: string): JsonSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return new JsonSyntaxError(reason, line, index - lineStart + 1);
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    this.skipSpace();
    const value = this.parseValue(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected data after the end');
    return value;
  }

  private fail(reason: string): never {
    throw positionError(this.text, this.pos, this.pos >= this.text.length ? 'unexpected end of file' : reason);
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return;
    }
  }

  private parseValue(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const c = this.text[this.pos];
    if (c === '{') return this.parseObject(depth);
    if (c === '[') return this.parseArray(depth);
    if (c === '"') return this.parseString();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER_RE.lastIndex = this.pos;
    const match = NUMBER_RE.exec(this.text);
    if (match === null) this.fail(`unexpected character ${JSON.stringify(c)}`);
    this.pos += match[0].length;
    return new JsonNumber(match[0]);
  }

  private parseObject(depth: number): JsonObject {
    const result: JsonObject = new Map();
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('expected a quoted key');
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.skipSpace();
      result.set(key, this.parseValue(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return result;
      if (c !== ',') {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
      this.skipSpace();
    }
  }

  private parseArray(depth: number): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.parseValue(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return result;
      if (c !== ',') {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
      this.skipSpace();
    }
  }

  private parseString(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) {
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character in a string');
      if (c !== 0x5c) {
        out += this.text[this.pos];
        this.pos++;
        continue;
      }
      out += this.parseEscape();
    }
  }

  private parseEscape(): string {
    const e = this.text[this.pos + 1];
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (e !== undefined && e !== 'u' && simple[e] !== undefined) {
      this.pos += 2;
      return simple[e];
    }
    if (e !== 'u') this.fail('invalid escape');
    const unit = this.hex4(this.pos + 2);
    this.pos += 6;
    if (unit >= 0xdc00 && unit <= 0xdfff) this.fail('lone surrogate escape');
    if (unit < 0xd800 || unit > 0xdbff) return String.fromCharCode(unit);
    if (this.text.startsWith('\\u', this.pos)) {
      const low = this.hex4(this.pos + 2);
      if (low >= 0xdc00 && low <= 0xdfff) {
        this.pos += 6;
        return String.fromCharCode(unit, low);
      }
    }
    return this.fail('lone surrogate escape');
  }

  private hex4(at: number): number {
    const digits = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('invalid \\u escape');
    return parseInt(digits, 16);
  }
}
