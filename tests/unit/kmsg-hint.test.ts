import { describe, expect, it } from 'vitest';
import { KernelLogHint } from '../../src/console/kernel-log-hint';

describe('KernelLogHint', () => {
  it('sticky on a colour terminal: erased before lines and drawn again after them, without newline', () => {
    const hint = new KernelLogHint({ text: 'Press Enter', color: true, columns: 80 });
    expect(hint.sticky).toBe(true);
    expect(hint.initial()).toBe('\x1b[2mPress Enter\x1b[0m');
    expect(hint.wrapLines('a\nb\n')).toBe('\r\x1b[Ka\nb\n\x1b[2mPress Enter\x1b[0m');
    expect(hint.idle()).toBe('');
    expect(hint.finish()).toBe('\r\x1b[K');
    expect(hint.finish()).toBe('');
  });

  it('sticky hint is cut to the terminal width so it never wraps', () => {
    const hint = new KernelLogHint({ text: 'Press Enter for the console', color: true, columns: 10 });
    expect(hint.initial()).toBe('\x1b[2mPress Ent\x1b[0m');
  });

  it.each([
    ['serial console (width 0)', { color: true, columns: 0 }, '\x1b[2mHint\x1b[0m\n'],
    ['no colour', { color: false, columns: 80 }, 'Hint\n'],
  ])('plain on a %s: a line at start and again after quiet time, no cursor movement', (_name, terminal, line) => {
    const hint = new KernelLogHint({ text: 'Hint', ...terminal });
    expect(hint.sticky).toBe(false);
    expect(hint.initial()).toBe(line);
    expect(hint.idle()).toBe('');
    expect(hint.wrapLines('a\n')).toBe('a\n');
    expect(hint.idle()).toBe(line);
    expect(hint.idle()).toBe('');
    expect(hint.finish()).toBe('');
  });
});
