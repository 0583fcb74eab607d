import { describe, expect, it } from 'vitest';
import { safeFormat, safeInline, safeJoin, safeLogLine, safeText } from '../../src/render/safe-text';

describe('safeText', () => {
  it.each([
    ['plain', 'alice', 'alice'],
    ['OSC title', 'a\x1b]0;pwned\x07b', 'a\\x1b]0;pwned\\x07b'],
    ['screen clear', '\x1b[2Jx', '\\x1b[2Jx'],
    ['8-bit CSI', 'x\u009b2J', 'x\\x9b2J'],
    ['DEL and CR', 'a\x7fb\rc', 'a\\x7fb\\x0dc'],
    ['bidi override', 'evil\u202etxt.exe', 'evil\\u202etxt.exe'],
    ['bidi isolates', '\u2066a\u2069', '\\u2066a\\u2069'],
    ['tab and newline kept', 'a\tb\nc', 'a\tb\nc'],
    ['non-ASCII kept', 'Jürgen 名前 🙂', 'Jürgen 名前 🙂'],
  ])('%s', (_name, input, expected) => {
    expect(safeText(input)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = safeText('\x1b[2J\u202e\u009b');
    expect(safeText(once)).toBe(once);
  });

  it('inline form shows a newline too', () => {
    expect(safeInline('a\nb\tc')).toBe('a\\x0ab\tc');
    expect(safeFormat`Password for ${'x\n\x1b[2J'} changed (${3})`).toBe('Password for x\\x0a\\x1b[2J changed (3)');
    expect(safeJoin(['a', '\u202eb'], ', ')).toBe('a, \\u202eb');
  });
});

describe('safeLogLine', () => {
  it.each([
    ['SGR kept', '\x1b[31mERROR\x1b[0m x', '\x1b[31mERROR\x1b[0m x'],
    ['SGR with colons kept', '\x1b[38:5:1mx\x1b[m', '\x1b[38:5:1mx\x1b[m'],
    ['OSC title neutralized', 'a\x1b]0;title\x07b', 'a\\x1b]0;title\\x07b'],
    ['DCS neutralized', '\x1bPq#0\x1b\\', '\\x1bPq#0\\x1b\\'],
    ['cursor movement neutralized', '\x1b[10;1Hx\x1b[A', '\\x1b[10;1Hx\\x1b[A'],
    ['clear neutralized', '\x1b[2J\x1b[3J', '\\x1b[2J\\x1b[3J'],
    ['8-bit CSI neutralized', '\u009b31m', '\\x9b31m'],
    ['bidi neutralized', 'a\u202eb', 'a\\u202eb'],
    ['CRLF kept, lone CR shown', 'a\rb\r\n', 'a\\x0db\r\n'],
    ['private-mode CSI neutralized', '\x1b[?1049h', '\\x1b[?1049h'],
  ])('%s', (_name, input, expected) => {
    expect(safeLogLine(input)).toBe(expected);
  });

  it('drops colours when asked', () => {
    expect(safeLogLine('\x1b[31mE\x1b[0m\x1b[2J', false)).toBe('E\\x1b[2J');
  });
});
