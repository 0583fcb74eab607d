import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalctl, logEntry, writeJournal, type ExportEntry } from '../helpers/systemd-journal-fixture';
import { TerminalSession } from '../helpers/terminal-session';
import { runHa } from '../helpers/run-ha';
import { debugfs, makeImage, makeTempDir, partitionOffset, sha256 } from './image-fixture';

// The offline commands on a terminal, as a person runs them: the real bin/ha.js in a pty, the screen read
// through @xterm/headless. `core logs` on a card opens the log viewer (search, quit); `files cp` of a big
// file draws a progress bar on a terminal and prints one summary line when stdout is not one.

const MACHINE_ID = '0123456789abcdef0123456789abcdef';
const BOOT = 'd4'.repeat(16);
const BASE_US = 1_764_600_000_000_000;
const BIG_BYTES = 48 * 1024 * 1024;

function entries(count: number): ExportEntry[] {
  return Array.from({ length: count }, (_, i) => logEntry({
    realtimeUs: BASE_US + i * 1_500_000,
    monotonicUs: 3_000_000 + i * 1000,
    bootId: BOOT,
    ident: i % 3 === 0 ? 'homeassistant' : 'kernel',
    pid: 77,
    message: `${i % 3 === 0 ? 'core' : 'kernel'} line ${String(i).padStart(4, '0')} token-${(i * 7919) % 10007}`,
  }));
}

let tmp: { dir: string; cleanup: () => void };
let card: string;
let cardSha: string;
let journalFile: string;
let bigSha: string;

beforeAll(() => {
  tmp = makeTempDir();
  journalFile = join(tmp.dir, 'system.journal');
  writeJournal(journalFile, entries(900), { compress: false });
  card = makeImage(join(tmp.dir, 'card.img'), ['--bcrypt-cost', '4']);
  const offset = partitionOffset(card);
  debugfs(card, offset, 'mkdir /logs', true);
  debugfs(card, offset, `mkdir /logs/${MACHINE_ID}`, true);
  debugfs(card, offset, `write ${journalFile} /logs/${MACHINE_ID}/system.journal`, true);
  const big = join(tmp.dir, 'big.bin');
  const bytes = randomBytes(BIG_BYTES);
  writeFileSync(big, bytes);
  bigSha = createHash('sha256').update(bytes).digest('hex');
  try { debugfs(card, offset, 'mkdir /supervisor/media', true); } catch { /* already there */ }
  debugfs(card, offset, `write ${big} /supervisor/media/big.bin`, true);
  cardSha = sha256(card);
}, 180_000);

afterAll(() => {
  tmp.cleanup();
});

describe('ha --image CARD core logs on a terminal', () => {
  it('opens the viewer, / finds a line, q exits 0, and the card is untouched', async () => {
    // The judge: journalctl's last 100 Core lines of the same file (the Supervisor's default -n).
    const expected = journalctl([journalFile], ['-o', 'cat', '-t', 'homeassistant', '-n', '100']).trim().split('\n');
    const oldest = expected[0] ?? '';
    const target = expected[40] ?? '';
    const token = /token-\d+/.exec(target)?.[0] ?? '';
    expect(token).not.toBe('');
    const session = new TerminalSession({ args: ['--image', card, 'core', 'logs'], rows: 24, cols: 100 });
    try {
      await session.waitFor((screen) => screen.includes(expected[expected.length - 1] ?? '\u0000') || screen.includes(oldest), 60_000);
      session.type('g');
      await session.waitFor(oldest, 15_000);
      expect(session.screen()).not.toContain(target);
      session.type(`/${token}\r`);
      await session.waitFor(target, 15_000);
      session.type('q');
      expect(await session.waitForExit(15_000)).toBe(0);
    } finally {
      session.close();
    }
    expect(sha256(card)).toBe(cardSha);
  }, 120_000);
});

describe('ha --image CARD files cp of a big file', () => {
  it('draws a progress bar (bytes, rate, time left) on a terminal; the copy is byte-identical', async () => {
    const dest = join(tmp.dir, 'on-terminal.bin');
    const session = new TerminalSession({ args: ['--image', card, 'files', 'cp', '/supervisor/media/big.bin', dest], rows: 24, cols: 120 });
    try {
      expect(await session.waitForExit(120_000)).toBe(0);
      await session.waitFor(/Copied/, 5_000);
    } finally {
      session.close();
    }
    // The bar is redrawn in place (\r) and wiped at the end; the raw bytes hold every drawing.
    const bars = session.raw.split('\r').filter((part) => /^\[[#-]{24}\] \d+(\.\d)? [kMG]?B \/ 50\.3 MB {2}\d+(\.\d)? [kMG]?B\/s {2}(\d+:\d\d|\?) left/.test(part));
    expect(bars.length).toBeGreaterThan(0);
    expect(createHash('sha256').update(readFileSync(dest)).digest('hex')).toBe(bigSha);
    expect(sha256(card)).toBe(cardSha);
  }, 180_000);

  it('prints one summary line and no bar when stdout is not a terminal', async () => {
    const dest = join(tmp.dir, 'piped.bin');
    const run = await runHa(['--image', card, 'files', 'cp', '/supervisor/media/big.bin', dest], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Copied \/supervisor\/media\/big\.bin \(.*50\.3 MB.*\) in \d+\.\d s\.\n$/);
    expect(run.stdout + run.stderr).not.toContain('[#');
    expect(createHash('sha256').update(readFileSync(dest)).digest('hex')).toBe(bigSha);
  }, 180_000);
});
