/**
 * The one sanitizer for text that comes from data (usernames, display names, server messages, log lines):
 * terminal controls in it are shown visibly (`\x1b`, `\x9b`, `\u202e`) instead of driving the terminal.
 */

declare const safeTextBrand: unique symbol;

/** A string that is safe to write to a terminal: it holds no control that moves, clears, retitles or reorders. */
export type SafeText = string & { readonly [safeTextBrand]: true };

// C0 except tab and newline, DEL, C1 (U+0080-U+009F, with the 8-bit CSI U+009B), bidi overrides and isolates.
// eslint-disable-next-line no-control-regex -- finding control characters in untrusted text is the point
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- as above; this one also lets newline through
const UNSAFE_KEEP_NEWLINE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- as above, globally, for replacing
const UNSAFE_ALL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, globally, newline kept
const UNSAFE_ALL_KEEP_NEWLINE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
// An SGR colour sequence (ESC [ digits/;/: m): the only escape a log line may keep.
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const SGR = /\x1b\[[0-9;:]*m/y;

/** The visible form of one unsafe character: `\xNN` below U+0100, `\uNNNN` above. */
export function visibleForm(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Marks text our own code wrote (literals, our colours) as safe; never pass data through this. */
export function trustedText(text: string): SafeText {
  return text as SafeText;
}

/** Data text, possibly several lines: controls shown visibly; tab and newline kept. */
export function safeText(text: string): SafeText {
  return (UNSAFE_KEEP_NEWLINE.test(text) ? text.replace(UNSAFE_ALL_KEEP_NEWLINE, visibleForm) : text) as SafeText;
}

/** Data text for inside one line (a username in a sentence): newline shown as `\x0a` too; tab kept. */
export function safeInline(text: string): SafeText {
  return (UNSAFE.test(text) ? text.replace(UNSAFE_ALL, visibleForm) : text) as SafeText;
}

/**
 * A log line (or a run of lines) for a terminal: SGR colour sequences kept (dropped when `color` is false),
 * every other escape (OSC, DCS, cursor movement, clears, title changes) and control shown visibly;
 * tab, newline and a carriage return before a newline kept.
 */
export function safeLogLine(text: string, color = true): SafeText {
  if (!UNSAFE_KEEP_NEWLINE.test(text)) return text as SafeText;
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) continue;
    if (code === 0x09 || code === 0x0a) continue;
    if (code > 0x9f && (code < 0x202a || code > 0x2069 || (code > 0x202e && code < 0x2066))) continue;
    out += text.slice(runStart, i);
    if (code === 0x1b) {
      SGR.lastIndex = i;
      const sgr = SGR.exec(text);
      if (sgr !== null) {
        if (color) out += sgr[0];
        i += sgr[0].length - 1;
        runStart = i + 1;
        continue;
      }
    }
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) out += '\r';
    else out += visibleForm(text[i] ?? '');
    runStart = i + 1;
  }
  return (out + text.slice(runStart)) as SafeText;
}

/** Builds a line from literal parts and data values, each value made safe with `safeInline` (a tag for templates). */
export function safeFormat(parts: TemplateStringsArray, ...values: readonly (string | number)[]): SafeText {
  let out = parts[0] ?? '';
  values.forEach((value, index) => {
    out += (typeof value === 'number' ? String(value) : safeInline(value)) + (parts[index + 1] ?? '');
  });
  return out as SafeText;
}

/** Joins data values with a literal separator, each made safe (the "Known usernames: a, b" shape). */
export function safeJoin(values: readonly string[], separator: string): SafeText {
  return values.map(safeInline).join(separator) as SafeText;
}
