import { describe, it, expect } from 'vitest';
import { ARENA_BLOCK_BYTES, ByteArena } from '../../src/pager/byte-arena';
import { LevelScanner } from '../../src/pager/level-scanner';
import { LineRing } from '../../src/pager/line-ring';
import { CUT_MARK, LineSplitter, MAX_LINE_BYTES } from '../../src/pager/line-splitter';
import { classifyLevel, LEVEL } from '../../src/pager/log-level';
import { LogModel } from '../../src/pager/log-model';

describe('ByteArena', () => {
  it('gives back what was stored, before and after the run is copied, across blocks', () => {
    const arena = new ByteArena();
    const chunk = Buffer.from('alpha\r\nbeta\ngamma\n');
    const a = arena.add(chunk, 0, 5);
    const b = arena.add(chunk, 7, 11);
    expect(arena.text(a, 5)).toBe('alpha');
    arena.flush();
    chunk.fill(0x3f);
    expect(arena.text(b, 4)).toBe('beta');
    const big = Buffer.alloc(ARENA_BLOCK_BYTES - 3, 0x78);
    const c = arena.add(big, 0, big.length);
    arena.flush();
    expect(Math.floor(c / ARENA_BLOCK_BYTES)).toBe(1);
    expect(arena.text(c, big.length)).toBe(big.toString());
    expect(arena.text(a, 5)).toBe('alpha');
  });

  it('gives back blocks before a released offset and reuses one', () => {
    const arena = new ByteArena();
    const piece = Buffer.alloc(1000, 0x61);
    let last = 0;
    for (let i = 0; i < 1000; i++) {
      last = arena.add(piece, 0, piece.length);
      arena.flush();
      arena.release(last);
    }
    expect(arena.heldBytes).toBe(ARENA_BLOCK_BYTES);
    expect(arena.text(last, 1000)).toBe(piece.toString());
  });
});

describe('classifying levels from bytes', () => {
  const samples = [
    '2024-05-01 12:00:00.123 WARNING (MainThread) [x] y',
    'ERROR (MainThread) boom',
    'x\tCRITICAL (a)',
    'xERROR (a)',
    'WARN(a) WARN (b)',
    'the ERROR count is 3',
    'INFO (a) and <warn> b',
    'NetworkManager[1]: <warn>  [1.2] link',
    '<info>\tx',
    '<warn>',
    'a<error> b',
    '<3>kernel: x',
    '<30>x',
    '<1234>x',
    '<>x',
    '<7>',
    'kern  :err   : [1.0] x',
    'kern:warn:x',
    'kern  :warn',
    'kern :info x:',
    'Kern :err :',
    'daemon\v:notice\f: x',
    ' (',
    '',
    'x\r',
    '\x1b[31mERROR (a)\x1b[0m',
    '\x1b[32m[    1.000000] \x1b[0m\x1b[33mmmc0: \x1b[0m\x1b[31merror -110\x1b[0m',
    '\x1b[32m[    1.000000] \x1b[0m\x1b[33musb 1-1: \x1b[0m\x1b[1mover-current\x1b[0m',
    '\x1b[0;1;33mx: y deprecated\x1b[0m',
    '\x1b[0;1;39mnotice\x1b[0m',
    '\x1b]0;title\x07<4>x',
    '\x1b[1mWARN\x1b[0m (x)',
    'a\x1b[2J<warn> b',
    '\x1b[31',
    'caf\u00e9 ERROR (x)',
    '\u00a0ERROR (x)',
    'a\u2003<warn> b',
    'DEBUG (x) <error> y',
  ];
  const lines = samples.map((text) => Buffer.from(text));

  it('agrees with classifyLevel on each line alone', () => {
    for (const [i, bytes] of lines.entries()) expect([samples[i], new LevelScanner().level(bytes, 0, bytes.length, bytes.length)]).toEqual([samples[i], classifyLevel(samples[i] ?? '')]);
  });

  it('agrees with classifyLevel on consecutive lines of one buffer, scanned in order', () => {
    const joined = Buffer.from(samples.join('\n') + '\n');
    const scanner = new LevelScanner();
    let start = 0;
    for (const text of samples) {
      const end = start + Buffer.byteLength(text);
      expect([text, scanner.level(joined, start, end, joined.length)]).toEqual([text, classifyLevel(text)]);
      start = end + 1;
    }
  });

  it('agrees with classifyLevel on random lines made of the words that matter', () => {
    const words = ['ERROR', 'WARN', 'WARNING', 'INFO', 'DEBUG', 'FATAL', ' (', '(', ' ', '\t', '<', '>', 'warn', 'err', 'info', 'kern', ':', '<4>', '1', 'x', '\u00e9', '\x1b[1m', '\x1b[31m', '\x1b[0m', '\x1b[1;33m', '\x1b[0;1;91m', '\x1b[m', '\x1b[?25l', '\x1b[2J', '\x1b]0;t\x07', '\x1b]2;u\x1b\\', '\x1b', '\x1b[', '[', 'm', ';', '33', '\x1bc', '\x1b(B'];
    let seed = 42;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const texts = Array.from({ length: 3000 }, () => Array.from({ length: 1 + next(8) }, () => words[next(words.length)] ?? '').join(''));
    const joined = Buffer.from(texts.join('\n'));
    const scanner = new LevelScanner();
    let start = 0;
    for (const text of texts) {
      const end = start + Buffer.byteLength(text);
      expect([text, scanner.level(joined, start, end, joined.length)]).toEqual([text, classifyLevel(text)]);
      start = end + 1;
    }
    // Through the model, in random chunks, with and without lines dropped: levels inherited as from classifyLevel.
    let last: number = LEVEL.unknown;
    const expected = texts.map((text) => (last = classifyLevel(text) || last));
    for (const capacity of [5000, 700]) {
      const model = new LogModel(capacity);
      const splitter = new LineSplitter((bytes, from, to, cut) => model.appendBytes(bytes, from, to, cut));
      for (let at = 0; at < joined.length; ) {
        const size = 1 + next(3000);
        splitter.write(joined.subarray(at, at + size));
        model.flush();
        if (next(3) === 0) model.classifyPending();
        at += size;
      }
      splitter.end();
      model.flush();
      model.classifyPending();
      const ring = model.ring;
      for (let seq = ring.firstSeq; seq < ring.total; seq++) expect([seq, ring.level(seq)]).toEqual([seq, expected[seq]]);
    }
  });
});

describe('lines kept as bytes', () => {
  it('holds storage for the newest lines only', () => {
    const ring = new LineRing(1000);
    const line = Buffer.from('x'.repeat(100));
    for (let i = 0; i < 100_000; i++) ring.push(line, 0, line.length, false, 0);
    ring.flush();
    expect(ring.heldBytes).toBeLessThanOrEqual(100 * 1000 + 2 * ARENA_BLOCK_BYTES);
    expect(ring.line(99_999)).toBe(line.toString());
  });

  it('keeps lines whose chunk is reused after each write', () => {
    const model = new LogModel(10);
    const splitter = new LineSplitter((bytes, start, end, cut) => model.appendBytes(bytes, start, end, cut));
    const chunk = Buffer.alloc(8);
    for (const piece of ['one\ntwo', '\nthree\n', 'ERROR (', 'x) four\n']) {
      chunk.fill(0);
      chunk.write(piece);
      splitter.write(chunk.subarray(0, Buffer.byteLength(piece)));
      model.flush();
    }
    splitter.end();
    expect(Array.from({ length: model.count() }, (_, i) => model.line(i))).toEqual(['one', 'two', 'three', 'ERROR (x) four']);
    model.setFilter(LEVEL.error);
    expect(model.count()).toBe(1);
  });

  it('classifies a cut line with its cut mark, as it is shown', () => {
    const model = new LogModel(10);
    const splitter = new LineSplitter((bytes, start, end, cut) => model.appendBytes(bytes, start, end, cut));
    splitter.write(Buffer.from(`${'y'.repeat(MAX_LINE_BYTES - 7)} <warn>rest\nnext\n`));
    model.flush();
    expect(model.line(0)).toBe(`${'y'.repeat(MAX_LINE_BYTES - 7)} <warn>${CUT_MARK}`);
    model.setFilter(LEVEL.warning);
    expect(model.count()).toBe(2);
  });
});
