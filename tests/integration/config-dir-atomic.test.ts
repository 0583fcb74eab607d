import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomicAt } from '../../src/targets/config-dir/dir-fs';

const DIST_DIR_FS = join(__dirname, '../../dist/targets/config-dir/dir-fs.js');
// Big enough that a write (and its fsync) is still in flight a few milliseconds after it starts.
const SIZE_BYTES = 32 * 1024 * 1024;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Child: rewrites the target forever with 32 MiB of 'a', 'b', 'c'..., printing a line as each write starts.
const WRITER = `
const { writeFileAtomicAt } = require(process.argv[1]);
const target = process.argv[2];
(async () => {
  for (let i = 0; ; i++) {
    const data = Buffer.alloc(${SIZE_BYTES}, 97 + (i % 3));
    process.stdout.write('s\\n');
    await writeFileAtomicAt(target, data, 0o600);
  }
})();
`;

async function killMidWrite(target: string, afterWrites: number, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, ['-e', WRITER, DIST_DIR_FS, target], { stdio: ['ignore', 'pipe', 'inherit'] });
  let seen = 0;
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').length - 1;
      if (seen >= afterWrites) {
        // Kill while that write is in flight, at a different point each round.
        setTimeout(() => child.kill('SIGKILL'), delayMs);
        resolve();
      }
    });
  });
  await new Promise((resolve) => child.on('exit', resolve));
}

describe('atomic writes in a config folder', () => {
  it('a writer killed mid-write never leaves a half-written target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-atomic-'));
    dirs.push(dir);
    const target = join(dir, 'auth_provider.homeassistant');
    writeFileSync(target, Buffer.alloc(SIZE_BYTES, 120));
    // Killed during the first, second or third write, 3 to 24 ms in: each round a different point. (It was the
    // round-th write: 36 fsynced writes of 32 MiB in all, which took over 30 s beside other tests under load.)
    for (let round = 1; round <= 8; round++) {
      await killMidWrite(target, 1 + (round % 3), round * 3);
      const content = readFileSync(target);
      expect(content.length).toBe(SIZE_BYTES);
      const first = content[0] ?? 0;
      expect([97, 98, 99, 120]).toContain(first);
      expect(content.every((byte) => byte === first)).toBe(true);
    }
    // The kills did land mid-write: SIGKILL leaves the writer's temp files behind (never the target torn).
    expect(readdirSync(dir).filter((name) => name.startsWith('.auth_provider.homeassistant.ha-console-')).length).toBeGreaterThan(0);
  }, 120_000);

  it('removes its temp file when the write fails, and leaves the old file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-atomic-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'occupied'));
    mkdirSync(join(dir, 'occupied', 'child'));
    await expect(writeFileAtomicAt(join(dir, 'occupied'), Buffer.from('x'), 0o600)).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['occupied']);
  });
});
