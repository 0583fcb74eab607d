import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HA_BIN } from '../helpers/terminal-session';
import { runHa } from '../helpers/run-ha';
import { fsckRepairPartition } from '../helpers/journal-fixture';
import { ALICE_PASSWORD, STORAGE, copyImage, dataPartitionNumber, debugfs, fsck, makeImage, makeTempDir, outsideDataSha256, partitionRange } from './image-fixture';

// The kill sweep: `auth reset` and `onboarding reset` on a HAOS card, killed by SIGKILL at each of their
// writes in turn (strace injects the signal at the Nth pwrite64, so that write never happens), then looked
// at as the next boot would: our own next run (which replays what the kill left in the journal) and
// `e2fsck -fy` (the device's boot-time check). The provider file must always be the old one or the new
// one, the filesystem clean after e2fsck, and nothing outside the data partition touched.

const NEW_PASSWORD = 'sweep-new-password';
const PROVIDER = `${STORAGE}/auth_provider.homeassistant`;
let work: { dir: string; cleanup: () => void } = { dir: '', cleanup: () => undefined };
let fixture = '';
let offset = 0;
let size = 0;
let outside = '';
const hasStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;

beforeAll(() => {
  work = makeTempDir();
  fixture = makeImage(join(work.dir, 'fixture.img'), ['--table', 'hybrid', '--bcrypt-cost', '4']);
  ({ offset, size } = partitionRange(fixture, dataPartitionNumber(fixture)));
  outside = outsideDataSha256(fixture);
});
afterAll(() => work.cleanup());

/** Runs `ha ARGS` under strace; with `killAt` the process is killed at that pwrite64. Returns the writes seen. */
function tracedHa(args: readonly string[], killAt?: number): { status: number | null; signal: NodeJS.Signals | null; writes: number; output: string } {
  const traceFile = join(work.dir, `trace-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const inject = killAt === undefined ? [] : ['-e', `inject=pwrite64:signal=SIGKILL:when=${killAt}`];
  const result = spawnSync('strace', ['-f', '-qq', '-o', traceFile, '-e', 'trace=pwrite64', ...inject, process.execPath, HA_BIN, ...args], {
    encoding: 'utf8',
    // One libuv worker: strace counts injections per thread, so every disk write must come from the same one.
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work.dir, UV_THREADPOOL_SIZE: '1' },
  });
  const trace = spawnSync('cat', [traceFile], { encoding: 'utf8' }).stdout;
  const writes = trace.split('\n').filter((l) => /pwrite64\(/.test(l)).length;
  return { status: result.status, signal: result.signal, writes, output: `${result.stdout}${result.stderr}${trace.includes('killed by SIGKILL') ? '[killed]' : ''}` };
}

function aliceHash(text: string): string {
  const json = JSON.parse(text) as { data: { users: { username: string; password: string }[] } };
  const alice = json.data.users.find((u) => u.username === 'alice');
  if (alice === undefined) throw new Error('no alice in the provider file');
  return Buffer.from(alice.password, 'base64').toString();
}

/** Which password alice's stored hash verifies: the old one, the new one (or throws). */
function providerState(text: string): 'old' | 'new' {
  const hash = aliceHash(text);
  if (bcrypt.compareSync(ALICE_PASSWORD, hash)) return 'old';
  if (bcrypt.compareSync(NEW_PASSWORD, hash)) return 'new';
  throw new Error('alice\'s hash verifies neither password');
}

describe('a write killed at each of its disk writes', () => {
  it.skipIf(!hasStrace)('auth reset: the password file is always old or new, after our replay and after e2fsck -fy', async () => {
    const resetArgs = (image: string): string[] => ['--image', image, 'auth', 'reset', '--username', 'alice', '--password', NEW_PASSWORD];
    const whole = tracedHa(resetArgs(copyImage(fixture, work.dir, 'count.img')));
    expect(whole.status, whole.output).toBe(0);
    expect(whole.writes).toBeGreaterThan(4);
    const table: string[] = [];
    for (let n = 1; n <= whole.writes; n += 1) {
      const image = copyImage(fixture, work.dir, `kill-${n}.img`);
      const killed = tracedHa(resetArgs(image), n);
      expect(killed.signal ?? killed.status, killed.output).not.toBe(0);
      // Our next run on the card as the kill left it: replays a committed transaction, ignores the rest.
      const viaHa = await runHa(['--image', image, '--raw-json', 'auth', 'list']);
      expect(viaHa.code, viaHa.stderr).toBe(0);
      // The device's next boot: e2fsck -fy, then the judge -fn.
      const repaired = fsckRepairPartition(image, offset, size);
      expect(repaired.status, repaired.output).toBeLessThanOrEqual(1);
      const check = fsck(image, offset);
      expect(check.status, check.output).toBe(0);
      const state = providerState(debugfs(image, offset, `cat ${PROVIDER}`));
      expect(outsideDataSha256(image)).toBe(outside);
      // The lock the killed process left is stale and taken over by the next writer.
      const again = await runHa(resetArgs(image));
      expect(again.code, again.stderr).toBe(0);
      table.push(`${n}:${state}`);
    }
    // The old file up to the commit point, the new one from it on: never missing, never half.
    const states = table.map((entry) => entry.split(':')[1]);
    expect(states[0]).toBe('old');
    expect(states[states.length - 1]).toBe('new');
    expect(states.join(',')).toMatch(/^(old,)*old(,new)+$/);
    process.stdout.write(`auth reset kill sweep (write:outcome): ${table.join(' ')}\n`);
  }, 600_000);

  it.skipIf(!hasStrace)('onboarding reset: the auth files are all in place or all in the backup folder', async () => {
    const args = (image: string): string[] => ['--image', image, 'onboarding', 'reset', '--yes'];
    const whole = tracedHa(args(copyImage(fixture, work.dir, 'ob-count.img')));
    expect(whole.status, whole.output).toBe(0);
    const table: string[] = [];
    for (let n = 1; n <= whole.writes; n += 1) {
      const image = copyImage(fixture, work.dir, `ob-kill-${n}.img`);
      tracedHa(args(image), n);
      const repaired = fsckRepairPartition(image, offset, size);
      expect(repaired.status, repaired.output).toBeLessThanOrEqual(1);
      expect(fsck(image, offset).status).toBe(0);
      const listing = debugfs(image, offset, `ls -l ${STORAGE}`);
      const inPlace = ['auth', 'auth_provider.homeassistant', 'onboarding'].filter((f) => new RegExp(` ${f.replace('.', '\\.')}\\n`).test(`${listing}\n`));
      const backups = listing.split(/\s+/).filter((w) => w.startsWith('onboarding-backup') || w.startsWith('backup'));
      const state = inPlace.length === 3 ? 'old' : inPlace.length === 0 ? 'new' : `half(${inPlace.join('+')})`;
      expect(state, `${listing}\nbackups: ${backups.join(' ')}`).toMatch(/^(old|new)$/);
      table.push(`${n}:${state}`);
    }
    expect(table.map((e) => e.split(':')[1]).join(',')).toMatch(/^(old,)*old(,new)+$/);
    process.stdout.write(`onboarding reset kill sweep (write:outcome): ${table.join(' ')}\n`);
  }, 600_000);

  it('leaves no lock file behind after a normal run', async () => {
    const image = copyImage(fixture, work.dir, 'lock.img');
    const run = await runHa(['--image', image, 'auth', 'reset', '--username', 'alice', '--password', NEW_PASSWORD]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(work.dir, '.lock.img.ha-lock'))).toBe(false);
    expect(readdirSync(work.dir).filter((f) => f.startsWith('.lock.img'))).toEqual([]);
  });
});
