import { describe, it, expect } from 'vitest';
import { LineRing } from '../../src/pager/line-ring';
import { LogModel } from '../../src/pager/log-model';
import { LEVEL } from '../../src/pager/log-level';

function push(ring: LineRing, text: string, level: number): void {
  const bytes = Buffer.from(text);
  ring.push(bytes, 0, bytes.length, false, level);
}

describe('LineRing', () => {
  it('keeps the newest lines and numbers them by absolute sequence', () => {
    const ring = new LineRing(3);
    for (let i = 0; i < 5; i++) push(ring, `line ${i}`, i % 2);
    expect(ring.total).toBe(5);
    expect(ring.size).toBe(3);
    expect(ring.firstSeq).toBe(2);
    expect([2, 3, 4].map((s) => ring.line(s))).toEqual(['line 2', 'line 3', 'line 4']);
    expect(ring.level(3)).toBe(1);
    expect(ring.has(1)).toBe(false);
    expect(() => ring.line(1)).toThrow(RangeError);
    expect(() => ring.line(5)).toThrow(RangeError);
  });

  it('grows past its first storage and wraps at a capacity above it', () => {
    const ring = new LineRing(600);
    for (let i = 0; i < 1000; i++) push(ring, `line ${i}`, i % 5);
    expect(ring.size).toBe(600);
    expect(ring.firstSeq).toBe(400);
    expect(ring.line(400)).toBe('line 400');
    expect(ring.line(999)).toBe('line 999');
    expect(ring.level(599)).toBe(599 % 5);
    expect(ring.level(998)).toBe(998 % 5);
    ring.setLevel(999, 1);
    expect(ring.level(999)).toBe(1);
  });

  it('keeps at most its byte budget of text: the oldest lines go first, the newest line always stays', () => {
    const ring = new LineRing(1000, 100);
    for (let i = 0; i < 30; i++) push(ring, `line ${String(i).padStart(3, '0')}`, 0); // 8 bytes each
    expect(ring.textBytes).toBe(96);
    expect(ring.size).toBe(12);
    expect(ring.firstSeq).toBe(18);
    expect(ring.line(18)).toBe('line 018');
    expect(ring.has(17)).toBe(false);
    expect(() => ring.line(17)).toThrow(RangeError);
    expect(ring.dropsOnPush(4)).toBe(false);
    expect(ring.dropsOnPush(5)).toBe(true);
    // One line longer than the whole budget: everything before it goes, it stays.
    push(ring, 'x'.repeat(150), 0);
    expect(ring.size).toBe(1);
    expect(ring.firstSeq).toBe(30);
    expect(ring.line(30)).toBe('x'.repeat(150));
    push(ring, 'after', 0);
    expect(ring.size).toBe(1);
    expect(ring.line(31)).toBe('after');
    expect(ring.textBytes).toBe(5);
  });

  it('long lines in a large ring: held text stays within the budget and reads back intact', () => {
    const ring = new LineRing(100_000, 256 * 1024);
    const text = (i: number): string => `${i} ${'z'.repeat(i % 5000)}`;
    for (let i = 0; i < 2000; i++) push(ring, text(i), 0);
    expect(ring.textBytes).toBeLessThanOrEqual(256 * 1024);
    expect(ring.heldBytes).toBeLessThanOrEqual(256 * 1024 + 2 * 64 * 1024);
    for (let seq = ring.firstSeq; seq < ring.total; seq++) expect(ring.line(seq)).toBe(text(seq));
    expect(ring.textBytes + Buffer.byteLength(text(ring.firstSeq - 1))).toBeGreaterThan(256 * 1024);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LineRing(0)).toThrow(RangeError);
    expect(() => new LineRing(1.5)).toThrow(RangeError);
  });
});

describe('LogModel', () => {
  const lines = ['INFO (a) start', 'ERROR (a) boom', 'Traceback (most recent call last):', 'WARNING (a) careful', 'plain', 'DEBUG (a) x'];

  it('filters by level; lines without one take the level of the line before', () => {
    const model = new LogModel(100);
    for (const line of lines) model.append(line);
    expect(model.count()).toBe(6);
    model.setFilter(LEVEL.warning);
    const shown = Array.from({ length: model.count() }, (_, i) => model.line(i));
    expect(shown).toEqual(['ERROR (a) boom', 'Traceback (most recent call last):', 'WARNING (a) careful', 'plain']);
    model.setFilter(LEVEL.error);
    expect(Array.from({ length: model.count() }, (_, i) => model.seq(i))).toEqual([1, 2]);
    model.append('ERROR (b) again');
    expect(model.count()).toBe(3);
    expect(model.line(2)).toBe('ERROR (b) again');
  });

  it('counts view lines dropped from the front, with and without a filter', () => {
    const model = new LogModel(4);
    for (let i = 0; i < 6; i++) model.append(`${i % 2 === 0 ? 'ERROR' : 'INFO'} (t) ${i}`);
    expect(model.shifted).toBe(2);
    model.setFilter(LEVEL.error);
    const before = model.shifted;
    expect(Array.from({ length: model.count() }, (_, i) => model.seq(i))).toEqual([2, 4]);
    model.append('INFO (t) 6'); // drops seq 2, an error line
    model.append('INFO (t) 7'); // drops seq 3, an info line
    expect(model.shifted - before).toBe(1);
    expect(Array.from({ length: model.count() }, (_, i) => model.seq(i))).toEqual([4]);
  });

  it('lines dropped for the byte budget: counted, taken off a filtered view, levels as if kept', () => {
    const model = new LogModel(1000, 60);
    const early = new LogModel(1000, 60);
    early.setFilter(LEVEL.warning);
    const input = ['ERROR (a) boom', 'Traceback (most recent call last):', '  File "x"', 'INFO (a) ok', 'continued', 'WARNING (a) w', 'more', 'DEBUG (a) d'];
    for (const line of input) {
      model.append(line);
      early.append(line);
    }
    // 60 bytes: the last six lines fit (58 bytes), the traceback's first line would not (+34).
    expect(model.ring.firstSeq).toBe(2);
    expect(model.shifted).toBe(2);
    model.setFilter(LEVEL.warning);
    const shown = (m: LogModel): string[] => Array.from({ length: m.count() }, (_, i) => m.line(i));
    // The traceback's dropped first lines still gave its kept line the error level.
    expect(shown(model)).toEqual(['  File "x"', 'WARNING (a) w', 'more']);
    expect(shown(early)).toEqual(shown(model));
    // A long error line (40 bytes) pushes out several lines at once, filtered view included.
    const shiftedBefore = model.shifted;
    model.append(`ERROR (b) ${'e'.repeat(30)}`);
    expect(model.ring.firstSeq).toBe(6);
    expect(shown(model)).toEqual(['more', `ERROR (b) ${'e'.repeat(30)}`]);
    expect(model.shifted - shiftedBefore).toBe(2);
  });

  it('gives the same levels whether they were worked out late or at once, across the ring filling up', () => {
    const late = new LogModel(5);
    const early = new LogModel(5);
    early.setFilter(LEVEL.warning);
    const input = ['ERROR (a) boom', 'Traceback (most recent call last):', '  File "x"', 'INFO (a) ok', 'continued', 'WARNING (a) w', 'more', 'DEBUG (a) d'];
    for (const line of input) {
      late.append(line);
      early.append(line);
    }
    late.setFilter(LEVEL.warning);
    const shown = (model: LogModel): string[] => Array.from({ length: model.count() }, (_, i) => model.line(i));
    expect(shown(late)).toEqual(['WARNING (a) w', 'more']);
    expect(shown(late)).toEqual(shown(early));
    const partial = new LogModel(100);
    for (const line of input.slice(0, 3)) partial.append(line);
    partial.classifyPending();
    for (const line of input.slice(3)) partial.append(line);
    partial.setFilter(LEVEL.error);
    expect(shown(partial)).toEqual(input.slice(0, 3));
  });

  it('finds the view index at or after a sequence number', () => {
    const model = new LogModel(100);
    for (const line of lines) model.append(line);
    model.setFilter(LEVEL.error);
    expect(model.indexAtOrAfter(0)).toBe(0);
    expect(model.indexAtOrAfter(2)).toBe(1);
    expect(model.indexAtOrAfter(3)).toBe(2);
    model.setFilter(LEVEL.unknown);
    expect(model.indexAtOrAfter(3)).toBe(3);
  });
});
