import { JsonNumber, type JsonValue } from './json-value';

/**
 * Serializes like Home Assistant's store writer, `orjson.dumps(data, option=OPT_INDENT_2 | ...)`
 * (homeassistant/helpers/json.py): 2-space indentation, `": "` after keys, non-ASCII written as raw
 * UTF-8 (not `\uXXXX` as Python's json.dumps would), only `"`, `\` and control characters escaped,
 * `[]`/`{}` for empty containers, no trailing newline.
 */
export function formatJson(value: JsonValue): Buffer {
  const parts: string[] = [];
  write(value, '', parts);
  return Buffer.from(parts.join(''), 'utf8');
}

function write(value: JsonValue, indent: string, out: string[]): void {
  if (value === null) out.push('null');
  else if (value === true) out.push('true');
  else if (value === false) out.push('false');
  else if (typeof value === 'string') out.push(quote(value));
  else if (value instanceof JsonNumber) out.push(value.raw);
  else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    const inner = `${indent}  `;
    out.push('[');
    value.forEach((item, i) => {
      out.push(i === 0 ? '\n' : ',\n', inner);
      write(item, inner, out);
    });
    out.push('\n', indent, ']');
  } else {
    if (value.size === 0) {
      out.push('{}');
      return;
    }
    const inner = `${indent}  `;
    out.push('{');
    let first = true;
    for (const [key, item] of value) {
      out.push(first ? '\n' : ',\n', inner, quote(key), ': ');
      write(item, inner, out);
      first = false;
    }
    out.push('\n', indent, '}');
  }
}

// JSON.stringify escapes exactly `"`, `\`, \b \t \n \f \r and other C0 controls as lowercase
// \u00xx, like orjson; strings reaching here are well-formed (the parser refuses lone surrogates).
function quote(text: string): string {
  return JSON.stringify(text);
}
