import type { JsonValue } from '../supervisor/api';

const PLAIN_STRING = /^[A-Za-z0-9_./:@+-][A-Za-z0-9_ ./:@+,()-]*$/;
// What JSON.stringify leaves raw but a terminal acts on: DEL, C1 (with the 8-bit CSI), bidi overrides and isolates.
// eslint-disable-next-line no-control-regex -- finding control characters in data is the point
const UNQUOTED_CONTROLS = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const LOOKS_TYPED = /^(true|false|null|yes|no|on|off|~|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/i;

/** Formats a scalar as YAML would show it: plain when unambiguous, else double-quoted with every control escaped. */
function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  if (value !== '' && PLAIN_STRING.test(value) && !LOOKS_TYPED.test(value) && !value.endsWith(' ')) return value;
  return JSON.stringify(value).replace(UNQUOTED_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Renders JSON data as YAML with sorted keys, like the `ha` CLI prints `data`. */
export function toYaml(value: JsonValue, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]\n`;
    return value
      .map((item) => {
        if (item !== null && typeof item === 'object' && !(Array.isArray(item) && item.length === 0) && !(typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 0)) {
          const inner = toYaml(item, indent + 2);
          return `${pad}- ${inner.slice(indent + 2)}`;
        }
        return `${pad}- ${toYaml(item, 0).trimEnd()}\n`;
      })
      .join('');
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return `${pad}{}\n`;
    return keys
      .map((key) => {
        const item = value[key] as JsonValue;
        const name = scalar(key);
        if (item !== null && typeof item === 'object') {
          const empty = Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0;
          if (empty) return `${pad}${name}: ${Array.isArray(item) ? '[]' : '{}'}\n`;
          return `${pad}${name}:\n${toYaml(item, Array.isArray(item) ? indent : indent + 2)}`;
        }
        return `${pad}${name}: ${scalar(item)}\n`;
      })
      .join('');
  }
  return `${pad}${scalar(value)}\n`;
}
