import { describe, expect, it } from 'vitest';
import { applySecretInput, decodePipedSecret } from '../../src/terminal/prompter';

describe('applySecretInput', () => {
  it.each([
    ['plain', 'abc\r', 'abc', 'enter'],
    ['arrows (CSI) ignored', 'ab\x1b[Dc\r', 'abc', 'enter'],
    ['application-mode arrows (SS3) ignored', 'a\x1bOAb\r', 'ab', 'enter'],
    ['Delete and Ctrl+Right ignored', 'a\x1b[3~\x1b[1;5Cb\r', 'ab', 'enter'],
    ['Alt+key and a lone Escape ignored', 'a\x1bxb\x1b', 'ab', undefined],
    ['C1 controls ignored', 'a\u009b2Jb\r', 'a2Jb', 'enter'],
    ['backspace edits', 'abc\x7f\r', 'ab', 'enter'],
    ['non-ASCII kept', 'pässwörd €\r', 'pässwörd €', 'enter'],
  ])('%s', (_name, chunk, value, done) => {
    expect(applySecretInput('', chunk)).toEqual({ value, done });
  });
});

describe('decodePipedSecret', () => {
  it('takes valid UTF-8 (a CR before the newline dropped)', () => {
    expect(decodePipedSecret(Buffer.from('Grüße €\r'))).toBe('Grüße €');
  });

  it.each([
    ['a Latin-1 byte', [0x70, 0xe9, 0x21]],
    ['a lone continuation byte', [0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a cut sequence', [0xe2, 0x82]],
  ])('refuses %s', (_name, bytes) => {
    expect(() => decodePipedSecret(Uint8Array.from(bytes))).toThrow(/not valid UTF-8/);
  });
});
