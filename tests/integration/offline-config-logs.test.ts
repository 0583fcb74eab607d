import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHa } from '../helpers/run-ha';

// `ha --config DIR core logs`: the last records of Core's home-assistant.log (a record keeps its traceback),
// the previous run's .log.1 with -b -1, and a note on stderr when faulthandler left a crash dump.

const REPO = join(__dirname, '..', '..');
let dir: string;
let config: string;

function record(i: number): string {
  const head = `2026-11-29 12:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')} ${i % 5 === 0 ? 'ERROR' : 'INFO'} (MainThread) [homeassistant.core] event ${i}`;
  return i % 5 === 0 ? `${head}\nTraceback (most recent call last):\n  File "/usr/src/homeassistant/homeassistant/core.py", line ${i}, in run\nValueError: ${i}` : head;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ha-config-logs-'));
  config = join(dir, 'config');
  cpSync(join(REPO, 'assets', 'demo-config'), config, { recursive: true });
  // Big enough that the reader has to go back more than one 64 KiB chunk for 2,000 records.
  writeFileSync(join(config, 'home-assistant.log'), `${Array.from({ length: 3000 }, (_, i) => record(i)).join('\n')}\n`);
  writeFileSync(join(config, 'home-assistant.log.1'), `${Array.from({ length: 10 }, (_, i) => record(i + 10_000)).join('\n')}\n`);
  writeFileSync(join(config, 'home-assistant.log.fault'), 'Fatal Python error: Segmentation fault\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ha --config DIR core logs', () => {
  it.each([[1], [7], [2000]])('-n %i gives the last records, tracebacks whole', async (n) => {
    const run = await runHa(['--config', config, 'core', 'logs', '-n', String(n), '--no-pager']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(Array.from({ length: n }, (_, k) => `${record(3000 - n + k)}\n`).join(''));
    expect(run.stderr).toBe(`Core left a crash dump (39 bytes) in ${join(config, 'home-assistant.log.fault')}.\n`);
  });

  it('-b -1 reads the run before (.log.1); other boots are refused', async () => {
    const run = await runHa(['--config', config, 'core', 'logs', '-b', '-1', '--no-pager']);
    expect(run.stdout).toBe(Array.from({ length: 10 }, (_, k) => `${record(10_000 + k)}\n`).join(''));
    const other = await runHa(['--config', config, 'core', 'logs', '-b', '-2']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^Error: A config folder keeps the log of the current run and the one before; -b -2 names neither\./);
  });

  it('other services are refused with where their log is', async () => {
    const run = await runHa(['--config', config, 'supervisor', 'logs']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('this one is in the journal on the card (--image)');
  });
});
