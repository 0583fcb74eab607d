import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TerminalSession } from '../helpers/terminal-session';

// `ha dmesg` on a terminal: the kernel log reader refills one buffer for every batch and hands it straight to the
// viewer, which must have copied each line it keeps before the buffer is refilled. A log of many batches, read
// back through the real program in a real pty: every line shown, at the end, in the middle (found with ?) and at
// the top, is the record it should be, not bytes of a later batch.

const RECORDS = 40_000;
const workDir = mkdtempSync(join(tmpdir(), 'dmesg-viewer-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const sessions: TerminalSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

const usecOf = (i: number): number => i * 1733 + (i % 997);
const bodyOf = (i: number): string => `record ${String(i).padStart(6, '0')} ${'x'.repeat(i % 53)}|`;
/** The line `dmesg` prints for record i (no colour). */
const lineOf = (i: number): string => {
  const usec = usecOf(i);
  return `[${String(Math.floor(usec / 1e6)).padStart(5)}.${String(usec % 1e6).padStart(6, '0')}] ${bodyOf(i)}`;
};

function writeLog(): string {
  const file = join(workDir, 'kmsg');
  const lines: string[] = [];
  // Lines of varied length, so batch boundaries fall inside records at many offsets.
  for (let i = 0; i < RECORDS; i++) lines.push(`6,${i},${usecOf(i)},-;${bodyOf(i)}\n`);
  writeFileSync(file, lines.join(''));
  return file;
}

/** Every record line on the screen is exactly the line of its number; returns the numbers seen. */
function checkRecordLines(screen: string): number[] {
  const seen: number[] = [];
  for (const line of screen.split('\n')) {
    const match = /^\[.*record (\d{6}) /.exec(line); // log lines, not the status line's search text
    if (match === null) continue;
    const i = Number(match[1]);
    expect(line).toBe(lineOf(i));
    seen.push(i);
  }
  return seen;
}

describe('ha dmesg in the viewer, on a log of many read batches', () => {
  it('shows every record intact at the end, in the middle and at the top', async () => {
    const s = new TerminalSession({ args: ['dmesg'], env: { HA_CONSOLE_KMSG: writeLog(), SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9', NO_COLOR: '1' }, cols: 100, rows: 30 });
    sessions.push(s);
    await s.waitFor('record 000000', 30_000);
    expect(checkRecordLines(s.screen())[0]).toBe(0);
    // Wait for the whole log, then jump to its end.
    await s.waitFor(/of 40000 \| \d+% \|/, 60_000);
    s.type('G');
    const end = await s.waitFor(`record ${String(RECORDS - 1).padStart(6, '0')}`, 60_000);
    const atEnd = checkRecordLines(end);
    expect(atEnd.at(-1)).toBe(RECORDS - 1);
    expect(atEnd.length).toBeGreaterThan(20);
    s.type('?record 023456\r');
    const middle = await s.waitFor((screen) => checkRecordLines(screen).includes(23_456));
    expect(checkRecordLines(middle).length).toBeGreaterThan(20);
    s.type('g');
    await s.waitFor((screen) => checkRecordLines(screen)[0] === 0);
    s.type('q');
    expect(await s.waitForExit()).toBe(0);
  }, 180_000);
});
