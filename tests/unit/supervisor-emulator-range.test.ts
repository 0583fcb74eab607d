import { describe, expect, it } from 'vitest';
import { DEFAULT_RANGE, parseLogRange, rangeFromLines, selectRange } from '../../src/emulator/log-range';
import { resolveBoot } from '../../src/emulator/logs';

describe('emulator Range parsing (gatewayd semantics)', () => {
  it.each([
    ['entries=:-4:', { cursor: undefined, skip: -4, count: undefined }],
    ['entries=:0:', { cursor: undefined, skip: 0, count: undefined }],
    ['entries=:-0:', { cursor: undefined, skip: 0, count: undefined }],
    ['entries=:-99:100', { cursor: undefined, skip: -99, count: 100 }],
    ['entries=s=ab;i=3', { cursor: 's=ab;i=3', skip: 0, count: undefined }],
    ['entries=s=ab;i=3:5', { cursor: 's=ab;i=3', skip: 0, count: 5 }],
    ['entries=s=ab;i=3:2:5', { cursor: 's=ab;i=3', skip: 2, count: 5 }],
  ])('%s', (header, expected) => {
    expect(parseLogRange(header)).toEqual(expected);
  });
  it.each(['lines=5', 'entries=:x:', 'entries=:-1:0', 'entries=a:1:2:3', 'entries=:-1:-2'])('rejects %s', (header) => {
    expect(parseLogRange(header)).toBeUndefined();
  });

  it.each([
    ['last 5', { cursor: undefined, skip: -4, count: undefined }, 200, undefined, { start: 195, end: 200 }],
    ['CLI -n 1 bug: from the head', { cursor: undefined, skip: 0, count: undefined }, 200, undefined, { start: 0, end: 200 }],
    ['our -n 1: last 2', { cursor: undefined, skip: -1, count: undefined }, 200, undefined, { start: 198, end: 200 }],
    ['default last 100', DEFAULT_RANGE, 200, undefined, { start: 100, end: 200 }],
    ['more than there is', { cursor: undefined, skip: -999, count: undefined }, 10, undefined, { start: 0, end: 10 }],
    ['cursor + skip + count', { cursor: 'c', skip: 2, count: 3 }, 20, 5, { start: 7, end: 10 }],
    ['lines=1 is at least 2', rangeFromLines(1), 50, undefined, { start: 48, end: 50 }],
  ])('%s', (_name, range, total, cursor, expected) => {
    expect(selectRange(range, total, cursor)).toEqual(expected);
  });
});

describe('emulator boot resolution', () => {
  const ids = ['aaa', 'bbb', 'ccc'];
  it.each<[string | undefined, number | string]>([
    [undefined, 0], ['0', 0], ['-1', 1], ['-2', 2], ['1', 2], ['3', 0], ['bbb', 1], ['zzz', -1],
    ['-3', 'Logs only contain 3 boots'], ['4', 'Logs only contain 3 boots'],
  ])('%s → %s', (value, expected) => {
    expect(resolveBoot(value, ids)).toBe(expected);
  });
});
