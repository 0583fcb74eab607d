import { describe, it, expect } from 'vitest';
import { parseKeys } from '../../src/pager/keys';
import { CUT_MARK, LineSplitter, lineText, MAX_LINE_BYTES } from '../../src/pager/line-splitter';
import { formatStatus, type StatusInfo } from '../../src/pager/status-line';
import { shouldUsePager } from '../../src/pager/should-use-pager';

describe('parseKeys', () => {
  it('names cursor and paging keys in the forms terminals send', () => {
    const names = parseKeys('\x1b[A\x1bOB\x1b[5~\x1b[6~\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[1;5C\x1bOD').map((k) => k.name);
    expect(names).toEqual(['up', 'down', 'pageUp', 'pageDown', 'home', 'end', 'home', 'end', 'right', 'left']);
  });

  it('gives characters, enter, backspace, Ctrl-C and a lone escape', () => {
    expect(parseKeys('q/é\r\x7f\x03\x1b')).toEqual([
      { name: 'char', char: 'q' },
      { name: 'char', char: '/' },
      { name: 'char', char: 'é' },
      { name: 'enter' },
      { name: 'backspace' },
      { name: 'interrupt' },
      { name: 'escape' },
    ]);
  });

  it('skips unknown sequences and other control characters', () => {
    expect(parseKeys('\x1b[15~\x01x')).toEqual([{ name: 'char', char: 'x' }]);
  });
});

describe('LineSplitter', () => {
  function split(chunks: readonly Buffer[]): string[] {
    const lines: string[] = [];
    const splitter = new LineSplitter((bytes, start, end, cut) => lines.push(lineText(bytes, start, end, cut)));
    for (const chunk of chunks) splitter.write(chunk);
    splitter.end();
    return lines;
  }

  it('splits across chunk boundaries, drops CR before LF, keeps an unfinished last line', () => {
    expect(split([Buffer.from('one\r\ntw'), Buffer.from('o\n\nthr'), Buffer.from('ee')])).toEqual(['one', 'two', '', 'three']);
  });

  it('decodes UTF-8 split across chunks and replaces invalid bytes', () => {
    const bytes = Buffer.from('héllo\n');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2)])).toEqual(['héllo']);
    expect(split([Buffer.from([0x61, 0xff, 0x62, 0x0a])])).toEqual(['a\ufffdb']);
  });

  it('cuts lines longer than the limit, in one chunk or many', () => {
    const long = 'x'.repeat(MAX_LINE_BYTES + 10);
    const [one] = split([Buffer.from(`${long}\nnext\n`)]);
    expect(one).toBe('x'.repeat(MAX_LINE_BYTES) + CUT_MARK);
    const pieces = Array.from({ length: 10 }, () => Buffer.from('y'.repeat(MAX_LINE_BYTES / 4)));
    const lines = split([...pieces, Buffer.from('\nafter\n')]);
    expect(lines).toEqual(['y'.repeat(MAX_LINE_BYTES) + CUT_MARK, 'after']);
  });
});

describe('formatStatus', () => {
  const base: StatusInfo = {
    title: 'core logs', first: 1, last: 23, total: 1000, shown: 1000, dropped: 0, limit: 100000, following: false,
    live: false, ended: true, atEnd: false, percent: 2, filter: 'all', search: undefined, left: 0, message: undefined,
  };

  it('shows title, position, follow state, filter, search and drops', () => {
    expect(formatStatus(base, 200)).toBe('core logs | 1-23 of 1000 | 2% | h help, q quit');
    const busy = formatStatus({ ...base, following: true, live: true, ended: false, filter: 'error+', shown: 10, search: 'mqtt', dropped: 5 }, 200);
    expect(busy).toBe('core logs | 1-23 of 1000 | level error+ (10 lines) | FOLLOW | /mqtt | 5 oldest dropped (keeps 100000 lines) | h help, q quit');
    expect(formatStatus({ ...base, dropped: 5, limitBytes: 8 * 1024 * 1024 }, 200)).toContain('5 oldest dropped (keeps 100000 lines, 8 MiB)');
    expect(formatStatus({ ...base, dropped: 5, limitBytes: 1536 * 1024 }, 200)).toContain('(keeps 100000 lines, 1.5 MiB)');
    expect(formatStatus({ ...base, dropped: 5, limitBytes: 16 * 1024 }, 200)).toContain('(keeps 100000 lines, 16 KiB)');
    expect(formatStatus({ ...base, live: true, ended: false }, 200)).toContain('PAUSED (F follows)');
    expect(formatStatus({ ...base, atEnd: true }, 200)).toContain('(END)');
  });

  it('fits the width', () => {
    expect(Array.from(formatStatus(base, 12)).length).toBe(12);
    expect(formatStatus(base, 0)).toBe('');
  });
});

describe('shouldUsePager', () => {
  const tty = (columns: number | undefined, rows: number | undefined, isTTY = true): NodeJS.WriteStream =>
    ({ isTTY, columns, rows }) as unknown as NodeJS.WriteStream;
  const env = { TERM: 'xterm-256color' };

  it('is true only on a sized terminal that can move the cursor, without --no-pager', () => {
    expect(shouldUsePager(tty(80, 24), env, false)).toBe(true);
    expect(shouldUsePager(tty(80, 24), { TERM: 'linux' }, false)).toBe(true);
    expect(shouldUsePager(tty(80, 24), env, true)).toBe(false);
    expect(shouldUsePager(tty(80, 24, false), env, false)).toBe(false);
    expect(shouldUsePager(tty(0, 0), env, false)).toBe(false);
    expect(shouldUsePager(tty(80, 0), env, false)).toBe(false);
    expect(shouldUsePager(tty(undefined, undefined), env, false)).toBe(false);
    expect(shouldUsePager(tty(80, 24), { TERM: 'dumb' }, false)).toBe(false);
    expect(shouldUsePager(tty(80, 24), { TERM: 'unknown' }, false)).toBe(false);
    expect(shouldUsePager(tty(80, 24), {}, false)).toBe(false);
  });
});
