import { describe, it, expect } from 'vitest';
import { toDisplayLine } from '../../src/pager/display-line';
import { HIGHLIGHT_SGR, isPlainAscii, renderPlainRow, renderRow } from '../../src/pager/render-row';
import { charWidth } from '../../src/pager/char-width';

const E = '\x1b';
/** Columns a rendered row takes: its text without SGR sequences, wide characters counted twice. */
function columnsOf(rendered: string): number {
  let n = 0;
  for (const ch of rendered.replace(/\x1b\[[0-9;]*m/g, '')) n += charWidth(ch.codePointAt(0) ?? 0);
  return n;
}

describe('toDisplayLine', () => {
  it('keeps SGR colours as cell styles and drops them when colour is off', () => {
    const line = toDisplayLine(`${E}[31mred${E}[0m plain`, true);
    expect(line.plain).toBe('red plain');
    expect(line.cells[0]?.style).toBe(`${E}[31m`);
    expect(line.cells[4]?.style).toBe('');
    expect(toDisplayLine(`${E}[31mred${E}[0m`, false).cells[0]?.style).toBe('');
  });

  it('removes every other escape sequence (cursor moves, screen clears, titles)', () => {
    const line = toDisplayLine(`a${E}[2Jb${E}[10;1Hc${E}]0;evil title${E}\\d${E}]2;x\x07e${E}Pdcs${E}\\f${E}7g`, true);
    expect(line.plain).toBe('abcdefg');
    expect(line.width).toBe(7);
  });

  it('shows control characters and C1 bytes in a visible form', () => {
    const line = toDisplayLine('a\x00b\x07c\x7fd\u009be\r', true);
    expect(line.plain).toBe('a^@b^Gc^?d<9b>e^M');
    expect(line.cells.filter((c) => c.special).length).toBe(5);
    expect(line.width).toBe(line.plain.length);
  });

  it('expands tabs to the next stop of eight columns', () => {
    expect(toDisplayLine('ab\tc', true).plain).toBe('ab      c');
    expect(toDisplayLine('\t', true).width).toBe(8);
  });

  it('counts wide characters twice and puts combining marks on their base', () => {
    const line = toDisplayLine('日本e\u0301', true);
    expect(line.width).toBe(5);
    expect(line.cells.map((c) => c.text)).toEqual(['日', '本', 'e\u0301']);
  });

  it('bounds the styles a cell remembers', () => {
    const line = toDisplayLine(`${E}[1m${E}[2m${E}[3m${E}[4m${E}[5m${E}[31mx`, true);
    expect(line.cells[0]?.style).toBe(`${E}[2m${E}[3m${E}[4m${E}[5m${E}[31m`.split(`${E}[`).slice(-4).map((p) => `${E}[${p}`).join(''));
  });
});

describe('renderRow', () => {
  it('never takes more columns than it is given, and marks a cut line', () => {
    const samples = ['short', 'x'.repeat(200), '日本語のログ'.repeat(20), `${E}[31m${'r'.repeat(90)}${E}[0m`, 'a\x00'.repeat(50)];
    for (const sample of samples) {
      for (const width of [1, 2, 7, 40, 80]) {
        for (const left of [0, 1, 3, 40]) {
          const row = renderRow(toDisplayLine(sample, true), left, width, []);
          expect(columnsOf(row)).toBeLessThanOrEqual(width);
        }
      }
    }
    const cut = renderRow(toDisplayLine('x'.repeat(20), true), 0, 10, []);
    expect(cut).toBe(`${'x'.repeat(9)}${HIGHLIGHT_SGR}>${E}[0m`);
  });

  it('replaces a wide character cut by an edge with spaces', () => {
    expect(renderRow(toDisplayLine('a日b', true), 2, 10, [])).toBe(' b');
    expect(renderRow(toDisplayLine('ab日本', true), 0, 4, [])).toBe(`ab ${HIGHLIGHT_SGR}>${E}[0m`);
  });

  it('scrolls sideways', () => {
    expect(renderRow(toDisplayLine('0123456789', true), 4, 20, [])).toBe('456789');
  });

  it('highlights the given ranges over the line colours', () => {
    const row = renderRow(toDisplayLine(`${E}[32mfind me here${E}[0m`, true), 0, 40, [[5, 7]]);
    expect(row).toBe(`${E}[0m${E}[32mfind ${E}[0m${E}[32m${HIGHLIGHT_SGR}me${E}[0m${E}[32m here${E}[0m`);
  });
});

describe('renderPlainRow', () => {
  it('draws printable ASCII exactly as renderRow does', () => {
    const samples = ['short', 'x'.repeat(200), 'find me here and me again', ''];
    const rangeSets: readonly (readonly (readonly [number, number])[])[] = [[], [[5, 7]], [[0, 2], [16, 18]], [[190, 199]]];
    for (const sample of samples) {
      expect(isPlainAscii(sample)).toBe(true);
      for (const width of [1, 5, 10, 80]) {
        for (const left of [0, 3, 150]) {
          for (const ranges of rangeSets) {
            const plain = renderPlainRow(sample, left, width, ranges);
            const cells = renderRow(toDisplayLine(sample, true), left, width, ranges);
            expect(plain.replace(/\x1b\[0m/g, '')).toBe(cells.replace(/\x1b\[0m/g, ''));
            expect(columnsOf(plain)).toBeLessThanOrEqual(width);
          }
        }
      }
    }
  });

  it('is only for printable ASCII', () => {
    expect(isPlainAscii('a\tb')).toBe(false);
    expect(isPlainAscii('\x1b[31mx')).toBe(false);
    expect(isPlainAscii('é')).toBe(false);
  });
});
