/** Keys the viewer understands; printable characters arrive as `{ name: 'char', char }`. */
export type Key =
  | { readonly name: 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'enter' | 'escape' | 'backspace' | 'interrupt' }
  | { readonly name: 'char'; readonly char: string };

const SEQUENCES: Readonly<Record<string, Key['name']>> = {
  '\x1b[A': 'up', '\x1bOA': 'up', '\x1b[B': 'down', '\x1bOB': 'down',
  '\x1b[C': 'right', '\x1bOC': 'right', '\x1b[D': 'left', '\x1bOD': 'left',
  '\x1b[5~': 'pageUp', '\x1b[6~': 'pageDown', '\x1b[[5~': 'pageUp', '\x1b[[6~': 'pageDown',
  '\x1b[H': 'home', '\x1bOH': 'home', '\x1b[1~': 'home', '\x1b[7~': 'home',
  '\x1b[F': 'end', '\x1bOF': 'end', '\x1b[4~': 'end', '\x1b[8~': 'end',
};

// eslint-disable-next-line no-control-regex -- matches terminal escape sequences (CSI, SS3)
const ESCAPE = /^\x1b(?:\[\[?[0-9;]*[~A-Za-z@^$]|O[A-Za-z]|\x1b)?/;

/** Splits terminal input into keys (pure); unknown escape sequences are skipped. */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < data.length) {
    const ch = data[i] ?? '';
    if (ch === '\x1b') {
      const match = ESCAPE.exec(data.slice(i)) ?? ['\x1b'];
      const sequence = match[0];
      const named = SEQUENCES[sequence.replace(/^\x1b\[1;\d/, '\x1b[')];
      if (sequence === '\x1b' || sequence === '\x1b\x1b') keys.push({ name: 'escape' });
      else if (named !== undefined) keys.push({ name: named } as Key);
      i += sequence.length;
      continue;
    }
    const code = ch.charCodeAt(0);
    if (ch === '\r' || ch === '\n') keys.push({ name: 'enter' });
    else if (ch === '\x7f' || ch === '\b') keys.push({ name: 'backspace' });
    else if (ch === '\x03') keys.push({ name: 'interrupt' });
    else if (code >= 0x20) {
      const point = data.codePointAt(i) ?? code;
      const char = String.fromCodePoint(point);
      keys.push({ name: 'char', char });
      i += char.length;
      continue;
    }
    i++;
  }
  return keys;
}
