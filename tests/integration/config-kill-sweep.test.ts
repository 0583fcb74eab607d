import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHa } from '../helpers/run-ha';
import { HA_BIN } from '../helpers/terminal-session';
import { ROOT, copyImage, dataPartitionNumber, debugfs, fsck, makeImage, makeTempDir, partitionRange, STORAGE } from './image-fixture';
import { fsckRepairPartition } from '../helpers/journal-fixture';

// Kill sweeps beyond the password reset on a card: a config folder's `auth reset` killed at each of its
// changing system calls (every fsync, rename, unlink, chmod, chown, mkdir, each in turn), and `auth add`
// on a card (two store files in one journal transaction) killed at each disk write. Afterwards the files
// are the old ones or the new ones, never a mix, and the next run works (stale lock taken over,
// leftovers removed).

const hasStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
// `write` itself is left out: libuv's worker also writes its wake-up eventfd (hundreds of times, a number
// that varies run to run), so "the Nth write" is no fixed point. Every file write here is followed by an
// fsync, so killing at each fsync (before it runs) is killing right after each write of the data.
const CHANGING = ['pwrite64', 'fsync', 'fdatasync', 'rename', 'renameat', 'renameat2', 'unlink', 'unlinkat', 'fchmod', 'fchown', 'mkdir', 'mkdirat'];
const NEW_PASSWORD = 'sweep-new-password';
let work: { dir: string; cleanup: () => void } = { dir: '', cleanup: () => undefined };
beforeAll(() => {
  work = makeTempDir();
});
afterAll(() => work.cleanup());

/** Runs ha under strace; `inject` kills it at the Nth call of one system call. Returns each call's count. */
function traced(args: readonly string[], inject?: { call: string; n: number }): { counts: Map<string, number>; status: number | null } {
  const traceFile = join(work.dir, `trace-${Math.random().toString(36).slice(2)}`);
  const injection = inject === undefined ? [] : ['-e', `inject=${inject.call}:signal=SIGKILL:when=${inject.n}`];
  const result = spawnSync('strace', ['-f', '-qq', '-o', traceFile, '-e', `trace=${CHANGING.join(',')}`, ...injection, process.execPath, HA_BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work.dir, UV_THREADPOOL_SIZE: '1' },
  });
  const counts = new Map<string, number>();
  // strace counts injections per thread: the largest per-thread count of a call is how far a sweep goes.
  const perThread = new Map<string, number>();
  for (const line of readFileSync(traceFile, 'utf8').split('\n')) {
    const match = /^(\d+)\s+(\w+)\(/.exec(line);
    if (match === null) continue;
    const key = `${match[1]}:${match[2]}`;
    perThread.set(key, (perThread.get(key) ?? 0) + 1);
  }
  for (const [key, n] of perThread) {
    const call = key.split(':')[1] ?? '';
    counts.set(call, Math.max(counts.get(call) ?? 0, n));
  }
  rmSync(traceFile, { force: true });
  return { counts, status: result.status };
}

function users(text: string): { username: string; password: string }[] {
  return (JSON.parse(text) as { data: { users: { username: string; password: string }[] } }).data.users;
}

describe.skipIf(!hasStrace)('kill sweeps', { timeout: 900_000 }, () => {
  it('auth reset on a config folder: at every changing call the provider file is old or new', async () => {
    const fresh = (): string => {
      const dir = mkdtempSync(join(work.dir, 'cfg-'));
      cpSync(join(ROOT, 'assets', 'demo-config'), dir, { recursive: true });
      return dir;
    };
    const oldText = readFileSync(join(ROOT, 'assets', 'demo-config', '.storage', 'auth_provider.homeassistant'), 'utf8');
    const args = (dir: string): string[] => ['--config', dir, 'auth', 'reset', '--username', 'alice', '--password', NEW_PASSWORD];
    const whole = traced(args(fresh()));
    expect(whole.status).toBe(0);
    const table: string[] = [];
    for (const [call, count] of whole.counts) {
      for (let n = 1; n <= count; n += 1) {
        const dir = fresh();
        traced(args(dir), { call, n });
        const text = readFileSync(join(dir, '.storage', 'auth_provider.homeassistant'), 'utf8');
        const alice = users(text).find((u) => u.username === 'alice');
        const state = text === oldText ? 'old' : bcrypt.compareSync(NEW_PASSWORD, Buffer.from(alice?.password ?? '', 'base64').toString()) ? 'new' : 'BROKEN';
        expect(state, `${call} #${n}`).not.toBe('BROKEN');
        const again = await runHa(args(dir));
        expect(again.code, `${call} #${n}: ${again.stderr}`).toBe(0);
        expect(readdirSync(join(dir, '.storage')).filter((f) => f.includes('.ha-console-'))).toEqual([]);
        table.push(`${call}#${n}:${state}`);
      }
    }
    expect(table.length).toBeGreaterThan(5);
    process.stdout.write(`config auth reset kill sweep: ${table.join(' ')}\n`);
  });

  it('auth add on a card: both store files gain the user together, or neither does', async () => {
    const fixture = makeImage(join(work.dir, 'add-fixture.img'), ['--table', 'hybrid', '--bcrypt-cost', '4']);
    const { offset, size } = partitionRange(fixture, dataPartitionNumber(fixture));
    const args = (image: string): string[] => ['--image', image, 'auth', 'add', '--username', 'rescue', '--password', 'rescue-password', '--admin'];
    const whole = traced(args(copyImage(fixture, work.dir, 'add-count.img')));
    expect(whole.status).toBe(0);
    const writes = whole.counts.get('pwrite64') ?? 0;
    expect(writes).toBeGreaterThan(4);
    const table: string[] = [];
    for (let n = 1; n <= writes; n += 1) {
      const image = copyImage(fixture, work.dir, `add-${n}.img`);
      traced(args(image), { call: 'pwrite64', n });
      expect(fsckRepairPartition(image, offset, size).status).toBeLessThanOrEqual(1);
      expect(fsck(image, offset).status).toBe(0);
      const inAuth = debugfs(image, offset, `cat ${STORAGE}/auth`).includes('rescue');
      const inProvider = users(debugfs(image, offset, `cat ${STORAGE}/auth_provider.homeassistant`)).some((u) => u.username === 'rescue');
      expect(inAuth, `write ${n}`).toBe(inProvider);
      table.push(`${n}:${inAuth ? 'new' : 'old'}`);
    }
    expect(table.map((e) => e.split(':')[1]).join(',')).toMatch(/^(old,)*old(,new)+$/);
    process.stdout.write(`card auth add kill sweep: ${table.join(' ')}\n`);
  });
});
