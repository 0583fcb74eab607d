import { describe, it, expect } from 'vitest';
import { Terminal } from '@xterm/headless';
import { toDisplayLine } from '../../src/pager/display-line';
import { renderColouredAsciiRow, renderRow } from '../../src/pager/render-row';

const E = '\x1b';

/** Each cell of row 0 after `text` is written after a row that leaves colours set: character, colours, attributes. */
async function screen(text: string, width: number): Promise<string[]> {
  const term = new Terminal({ cols: width + 2, rows: 2, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(`${E}[1;31m${E}[H${E}[0m${text}${E}[K+`, resolve));
  const line = term.buffer.active.getLine(0);
  const cells: string[] = [];
  for (let x = 0; x < width + 2; x++) {
    const cell = line?.getCell(x);
    cells.push(`${cell?.getChars() ?? ''}|${cell?.getFgColor()}|${cell?.getBgColor()}|${cell?.isBold()}|${cell?.isDim()}|${cell?.isItalic()}|${cell?.isUnderline()}|${cell?.isInverse()}`);
  }
  term.dispose();
  return cells;
}

describe('renderColouredAsciiRow', () => {
  const lines = [
    `${E}[32m[    0.001733] ${E}[0m${E}[33mhomeassistant bench: ${E}[0m${E}[1mentry 0000001 something${E}[0m`,
    `${E}[32m[    1.000000] ${E}[0m${E}[1m${E}[31mcrit${E}[0m`,
    `${E}[0;1;31mFailed to start x.service.${E}[0m`,
    `${E}[1m${E}[4m${E}[31mno reset at the end`,
    `${E}[1;0;33mreset inside the parameters${E}[m plain`,
    `${E}[31m${E}[1m${E}[2m${E}[3m${E}[4mfive stacked${E}[0m`,
    'plain ascii',
    `${E}[38;5;196mextended colour${E}[39m default fg`,
  ];

  it('draws what renderRow draws, colours on and off', async () => {
    for (const raw of lines) {
      for (const color of [true, false]) {
        const fast = renderColouredAsciiRow(raw, 80, color);
        if (fast === undefined) continue;
        const slow = renderRow(toDisplayLine(raw, color), 0, 80, []);
        expect([raw, color, await screen(fast, 80)]).toEqual([raw, color, await screen(slow, 80)]);
      }
    }
  });

  it('leaves lines renderRow must draw: other escapes, controls, non-ASCII, too wide, more than four colours stacked', () => {
    expect(renderColouredAsciiRow(`${E}[2Jclear`, 80, true)).toBeUndefined();
    expect(renderColouredAsciiRow(`${E}]0;title${E}\\x`, 80, true)).toBeUndefined();
    expect(renderColouredAsciiRow('a\tb', 80, true)).toBeUndefined();
    expect(renderColouredAsciiRow(`${E}[31mcaf\u00e9`, 80, true)).toBeUndefined();
    expect(renderColouredAsciiRow(`${E}[31m${'x'.repeat(81)}`, 80, true)).toBeUndefined();
    expect(renderColouredAsciiRow(`${E}[31m${'x'.repeat(80)}${E}[0m`, 80, true)).toBe(`${E}[31m${'x'.repeat(80)}${E}[0m${E}[0m`);
    expect(renderColouredAsciiRow(lines[5] ?? '', 80, true)).toBeUndefined();
    expect(renderColouredAsciiRow(lines[0] ?? '', 80, false)).toBe('[    0.001733] homeassistant bench: entry 0000001 something');
  });
});
