import type { JsonValue } from '../supervisor/api';

const PLAIN_STRING = /^[A-Za-z0-9_./:@+-][A-Za-z0-9_ ./:@+,()-]*$/;
const LOOKS_TYPED = /^(true|false|null|yes|no|on|off|~|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/i;

/** Formats a scalar as YAML would show it: plain when unambiguous, else double-quoted JSON. */
function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  if (value !== '' && PLAIN_STRING.test(value) && !LOOKS_TYPED.test(value) && !value.endsWith(' ')) return value;
  return JSON.stringify(value);
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
