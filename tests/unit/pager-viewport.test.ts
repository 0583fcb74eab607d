import { describe, it, expect } from 'vitest';
import { afterDrop, atEnd, lastTop, pageBy, scrollBy, settle, showLine, toEnd, toStart } from '../../src/pager/viewport';

const view = { top: 0, rows: 10, follow: false };

describe('viewport', () => {
  it('clamps scrolling inside the log', () => {
    expect(scrollBy(view, -1, 100).top).toBe(0);
    expect(scrollBy(view, 5, 100).top).toBe(5);
    expect(scrollBy({ ...view, top: 85 }, 10, 100).top).toBe(90);
    expect(scrollBy(view, 5, 3).top).toBe(0);
  });

  it('pages by the number of text rows', () => {
    expect(pageBy(view, 1, 100).top).toBe(10);
    expect(pageBy({ ...view, top: 15 }, -1, 100).top).toBe(5);
    expect(pageBy({ ...view, top: 5 }, -1, 100).top).toBe(0);
  });

  it('follows the end as lines arrive, until moved up', () => {
    const following = toEnd(view, 100);
    expect(following).toEqual({ top: 90, rows: 10, follow: true });
    expect(settle(following, 250).top).toBe(240);
    expect(scrollBy(following, 1, 100).follow).toBe(true);
    const stopped = scrollBy(following, -1, 100);
    expect(stopped).toEqual({ top: 89, rows: 10, follow: false });
    expect(settle(stopped, 250).top).toBe(89);
    expect(toStart(following)).toEqual({ top: 0, rows: 10, follow: false });
  });

  it('shows a found line at the top, or the last page near the end', () => {
    expect(showLine({ ...view, follow: true }, 40, 100)).toEqual({ top: 40, rows: 10, follow: false });
    expect(showLine(view, 97, 100).top).toBe(90);
  });

  it('keeps the same lines in view when older ones are dropped', () => {
    expect(afterDrop({ ...view, top: 50 }, 20, 100).top).toBe(30);
    expect(afterDrop({ ...view, top: 5 }, 20, 100).top).toBe(0);
  });

  it('knows the end and the last useful top', () => {
    expect(lastTop(5, 10)).toBe(0);
    expect(lastTop(25, 10)).toBe(15);
    expect(atEnd({ ...view, top: 15 }, 25)).toBe(true);
    expect(atEnd({ ...view, top: 14 }, 25)).toBe(false);
  });
});
