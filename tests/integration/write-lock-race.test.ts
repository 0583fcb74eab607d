import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/terminal-session';

// The writer lock under a real race: processes started together on a lock left by a dead process. Each one
// that gets the lock does a read-modify-write of a counter file (with a pause in the middle, as a reset's bcrypt
// is); if two ever held it at once, an increment would be lost. Found by two `auth reset`s on a config folder
// under CPU load: both took over the stale lock (one removed the other's fresh lock, or took it for torn), and the
// config folder's writer did not check the lock before writing, as the card's did.

const work = mkdtempSync(join(tmpdir(), 'ha-lock-race-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const WORKER = `
const { acquireWriteLock } = require(${JSON.stringify(join(REPO_ROOT, 'dist', 'targets', 'write-lock.js'))});
const { readFileSync, writeFileSync } = require('node:fs');
const [lockPath, counter] = process.argv.slice(1);
(async () => {
  let lock;
  try { lock = await acquireWriteLock(lockPath, 'the folder'); } catch (error) { process.stdout.write('refused: ' + error.message); return; }
  // As the real writers do (card sessions and config folders): check the lock is still ours right before writing.
  if (!(await lock.stillHeld())) { process.stdout.write('lost'); await lock.release(); return; }
  const n = Number(readFileSync(counter, 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, 20));
  writeFileSync(counter, String(n + 1));
  await lock.release();
  process.stdout.write('done');
})();
`;

function worker(lockPath: string, counter: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WORKER, lockPath, counter], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(out));
  });
}

/** A pid that no process has now (a process that ran and ended). */
function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  return new Promise((resolve) => child.on('exit', () => resolve(child.pid ?? 999_999)));
}

describe('writer lock race', () => {
  it('processes racing over a stale lock: never two holders (no lost increment), and no lock or staged file left', async () => {
    for (let round = 0; round < 12; round++) {
      const dir = join(work, `round-${round}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      const lockPath = join(dir, '.ha-console.lock');
      const counter = join(dir, 'counter');
      writeFileSync(counter, '0');
      const dead = await deadPid();
      writeFileSync(lockPath, `${JSON.stringify({ pid: dead, host: hostname(), token: 'stale' })}\n`);
      const results = await Promise.all(Array.from({ length: 6 }, () => worker(lockPath, counter)));
      const done = results.filter((r) => r === 'done').length;
      for (const r of results) expect(r).toMatch(/^(done|lost|refused: the folder is in use by another ha process)/);
      expect(done).toBeGreaterThan(0);
      expect(Number(readFileSync(counter, 'utf8'))).toBe(done);
      expect(existsSync(lockPath)).toBe(false);
      expect(readdirSync(dir).sort()).toEqual(['counter']);
    }
  }, 120_000);
});
