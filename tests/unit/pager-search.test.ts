import { describe, it, expect } from 'vitest';
import { createMatcher, findLine, searchText } from '../../src/pager/search';

const lines = ['alpha one', 'Beta two', '\x1b[31mGAMMA\x1b[0m three', 'alpha four', 'delta'];
const view = { count: () => lines.length, line: (i: number) => lines[i] ?? '' };

describe('search', () => {
  it('is case-insensitive for a lowercase pattern and exact with a capital', () => {
    expect(createMatcher('beta').test('Beta two')).toBe(true);
    expect(createMatcher('Beta').test('beta two')).toBe(false);
    expect(createMatcher('Beta').test('Beta two')).toBe(true);
  });

  it('treats the pattern literally', () => {
    expect(createMatcher('a.c').test('abc')).toBe(false);
    expect(createMatcher('[x](').test('see [x]( here')).toBe(true);
  });

  it('matches nothing for an empty pattern', () => {
    expect(createMatcher('').test('anything')).toBe(false);
    expect(createMatcher('').ranges('anything')).toEqual([]);
  });

  it('returns every occurrence as ranges', () => {
    expect(createMatcher('an').ranges('banana AN')).toEqual([[1, 3], [3, 5], [7, 9]]);
  });

  it('ignores escape sequences when searching', () => {
    expect(searchText(lines[2] ?? '')).toBe('GAMMA three');
    expect(createMatcher('mma th').test(searchText(lines[2] ?? ''))).toBe(true);
  });

  it('finds forward and back from a line, including it, without wrapping', () => {
    const alpha = createMatcher('alpha');
    expect(findLine(view, alpha, 0, 1)).toBe(0);
    expect(findLine(view, alpha, 1, 1)).toBe(3);
    expect(findLine(view, alpha, 4, 1)).toBe(-1);
    expect(findLine(view, alpha, 2, -1)).toBe(0);
    expect(findLine(view, alpha, -1, -1)).toBe(-1);
    expect(findLine(view, createMatcher('gamma'), 4, -1)).toBe(2);
  });
});
