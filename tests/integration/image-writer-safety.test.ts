import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHa } from '../helpers/run-ha';
import { debugfsWrite } from '../helpers/journal-fixture';
import { ROOT, STORAGE, copyImage, debugfs, fsck, makeImage, makeTempDir, partitionOffset, sha256 } from './image-fixture';

// Issue 9's guarantees through the real CLI: a refused or failed command leaves the card byte-identical
// (reads never write, not even atimes); one writer at a time on a card and on a config folder, with the
// holder named; store paths that are not plain files (FIFO, symlink) or absurdly large are refused
// without being opened.

const PROVIDER = `${STORAGE}/auth_provider.homeassistant`;
let work: { dir: string; cleanup: () => void } = { dir: '', cleanup: () => undefined };
let fixture = '';
let offset = 0;
const sleepers: ChildProcess[] = [];

beforeAll(() => {
  work = makeTempDir();
  fixture = makeImage(join(work.dir, 'fixture.img'), ['--table', 'gpt', '--bcrypt-cost', '4']);
  offset = partitionOffset(fixture);
});
afterAll(() => {
  for (const child of sleepers) child.kill('SIGKILL');
  work.cleanup();
});

/** A live process to hold a lock with, as another ha would. */
function liveProcess(): number {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  sleepers.push(child);
  if (child.pid === undefined) throw new Error('could not start sleep');
  return child.pid;
}

function holdLock(lockPath: string, pid: number): void {
  writeFileSync(lockPath, `${JSON.stringify({ pid, host: hostname(), token: 'held-by-test' })}\n`);
}

describe('a refused or failed command changes nothing on the card, byte for byte', { timeout: 180_000 }, () => {
  it.each([
    { name: 'an unknown user', args: ['auth', 'reset', '--username', 'nobody', '--password', 'x-new-password'], error: /nobody/ },
    { name: 'a password list read', args: ['auth', 'list'], error: null },
    { name: 'info', args: ['info'], error: null },
  ])('$name', async ({ args, error }) => {
    const image = copyImage(fixture, work.dir, `same-${args.join('-')}.img`);
    const before = sha256(image);
    const run = await runHa(['--image', image, ...args]);
    if (error === null) expect(run.code, run.stderr).toBe(0);
    else {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(error);
    }
    expect(sha256(image)).toBe(before);
  });

  it('a provider file that is a FIFO, or a symlink, is refused without being opened', async () => {
    for (const kind of ['fifo', 'symlink'] as const) {
      const image = copyImage(fixture, work.dir, `${kind}.img`);
      // debugfs makes the node in its current folder (a path would name a file in /).
      const name = 'auth_provider.homeassistant';
      debugfsWrite(`${image}?offset=${offset}`, [`cd ${STORAGE}`, `rm ${name}`, kind === 'fifo' ? `mknod ${name} p` : `symlink ${name} /dev/zero`]);
      const before = sha256(image);
      const run = await runHa(['--image', image, 'auth', 'reset', '--username', 'alice', '--password', 'x-new-password']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(kind === 'fifo' ? /is a FIFO, not a file/ : /is a symbolic link, not a file/);
      expect(sha256(image)).toBe(before);
    }
  });

  it.each([
    { name: 'garbage', damage: (block: Buffer) => block.fill(0x5a) },
    { name: 'one flipped byte in a name', damage: (block: Buffer) => { block[40] = (block[40] ?? 0) ^ 0x01; } },
  ])('a damaged .storage folder ($name) is not taken for an empty one', async ({ damage }) => {
    const image = copyImage(fixture, work.dir, `dir-${Math.random().toString(36).slice(2)}.img`);
    const block = Number(debugfs(image, offset, `blocks ${STORAGE}`).trim().split(/\s+/)[0]);
    const data = readFileSync(image);
    const at = offset + block * 4096;
    const dirBlock = Buffer.from(data.subarray(at, at + 4096));
    damage(dirBlock);
    const handle = openSync(image, 'r+');
    writeSync(handle, dirBlock, 0, 4096, at);
    closeSync(handle);
    const before = sha256(image);
    for (const args of [['auth', 'list'], ['onboarding', 'reset', '--yes']]) {
      const run = await runHa(['--image', image, ...args]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/The folder \/supervisor\/homeassistant\/\.storage on the card is damaged .*not reading it as empty, and nothing was changed/);
      expect(run.stdout).not.toMatch(/No users|Nothing to move/);
    }
    expect(sha256(image)).toBe(before);
  });

  it('a store file claiming to be huge is refused before it is read', async () => {
    const image = copyImage(fixture, work.dir, 'huge.img');
    debugfs(image, offset, `sif ${STORAGE}/auth size 2000000000`, true);
    const run = await runHa(['--image', image, 'auth', 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/far larger than any Home Assistant store/);
  });
});

describe('one writer at a time', { timeout: 180_000 }, () => {
  it('a card locked by a live process is refused, naming it; once it is gone the lock is taken over', async () => {
    const image = copyImage(fixture, work.dir, 'locked.img');
    const pid = liveProcess();
    holdLock(join(work.dir, '.locked.img.ha-lock'), pid);
    const before = sha256(image);
    const run = await runHa(['--image', image, 'auth', 'reset', '--username', 'alice', '--password', 'x-new-password']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`is in use by another ha process (pid ${pid}); nothing was changed`);
    expect(sha256(image)).toBe(before);
    // Reads are not locked out.
    expect((await runHa(['--image', image, 'auth', 'list'])).code).toBe(0);
    process.kill(pid, 'SIGKILL');
    await new Promise<void>((resolve) => sleepers.find((c) => c.pid === pid)?.once('exit', () => resolve()));
    const after = await runHa(['--image', image, 'auth', 'reset', '--username', 'alice', '--password', 'x-new-password']);
    expect(after.code, after.stderr).toBe(0);
  });

  it('two resets racing on one card never both report success with one lost', async () => {
    for (let round = 0; round < 4; round += 1) {
      const image = copyImage(fixture, work.dir, `race-${round}.img`);
      const [a, b] = await Promise.all([
        runHa(['--image', image, 'auth', 'reset', '--username', 'alice', '--password', `alice-race-${round}`]),
        runHa(['--image', image, 'auth', 'reset', '--username', 'bob', '--password', `bob-race-${round}`]),
      ]);
      for (const run of [a, b]) {
        if (run.code !== 0) expect(run.stderr).toMatch(/in use by another ha process/);
      }
      const users = (JSON.parse(debugfs(image, offset, `cat ${PROVIDER}`)) as { data: { users: { username: string; password: string }[] } }).data.users;
      const verifies = (name: string, password: string): boolean =>
        bcrypt.compareSync(password, Buffer.from(users.find((u) => u.username === name)?.password ?? '', 'base64').toString());
      if (a.code === 0) expect(verifies('alice', `alice-race-${round}`)).toBe(true);
      if (b.code === 0) expect(verifies('bob', `bob-race-${round}`)).toBe(true);
      expect(fsck(image, offset).status).toBe(0);
    }
  });

  it('a config folder locked by a live process is refused; racing resets lose nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-config-lock-'));
    cpSync(join(ROOT, 'assets', 'demo-config'), dir, { recursive: true });
    const pid = liveProcess();
    holdLock(join(dir, '.ha-console.lock'), pid);
    const provider = join(dir, '.storage', 'auth_provider.homeassistant');
    const before = readFileSync(provider);
    const run = await runHa(['--config', dir, 'auth', 'reset', '--username', 'alice', '--password', 'x-new-password']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`in use by another ha process (pid ${pid})`);
    expect(readFileSync(provider)).toEqual(before);
    process.kill(pid, 'SIGKILL');
    const [a, b] = await Promise.all([
      runHa(['--config', dir, 'auth', 'reset', '--username', 'alice', '--password', 'alice-race-cfg']),
      runHa(['--config', dir, 'auth', 'reset', '--username', 'bob', '--password', 'bob-race-cfg']),
    ]);
    const users = (JSON.parse(readFileSync(provider, 'utf8')) as { data: { users: { username: string; password: string }[] } }).data.users;
    const verifies = (name: string, password: string): boolean =>
      bcrypt.compareSync(password, Buffer.from(users.find((u) => u.username === name)?.password ?? '', 'base64').toString());
    for (const [run, name] of [[a, 'alice'], [b, 'bob']] as const) {
      if (run.code === 0) expect(verifies(name, `${name}-race-cfg`)).toBe(true);
      else expect(run.stderr).toMatch(/in use by another ha process/);
    }
  });

  it('a FIFO in a config folder\'s .storage does not hang auth list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-config-fifo-'));
    cpSync(join(ROOT, 'assets', 'demo-config'), dir, { recursive: true });
    const auth = join(dir, '.storage', 'auth');
    rmSync(auth);
    expect(spawnSync('mkfifo', [auth]).status).toBe(0);
    const run = await runHa(['--config', dir, 'auth', 'list'], { timeoutMs: 10_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a file/);
  });

  it('leftover temporary files are reported by info and removed by the next change (card and config folder)', async () => {
    const image = copyImage(fixture, work.dir, 'leftover.img');
    const leftover = join(work.dir, 'leftover.bin');
    writeFileSync(leftover, '{"half": ');
    debugfsWrite(`${image}?offset=${offset}`, [`cd ${STORAGE}`, `write ${leftover} .auth.0badc0de.tmp`]);
    const info = await runHa(['--image', image, 'info']);
    expect(info.stdout).toMatch(/leftover temporary file \.storage\/\.auth\.0badc0de\.tmp from an interrupted write/);
    const reset = await runHa(['--image', image, 'auth', 'reset', '--username', 'alice', '--password', 'x-new-password']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(debugfs(image, offset, `ls ${STORAGE}`)).not.toMatch(/0badc0de/);
    expect(fsck(image, offset).status).toBe(0);

    const dir = mkdtempSync(join(tmpdir(), 'ha-config-temp-'));
    cpSync(join(ROOT, 'assets', 'demo-config'), dir, { recursive: true });
    const live = liveProcess();
    writeFileSync(join(dir, '.storage', '.auth.ha-console-999999999-abcdef'), 'x');
    writeFileSync(join(dir, '.storage', `.auth.ha-console-${live}-abcdef`), 'x');
    const run = await runHa(['--config', dir, 'auth', 'reset', '--username', 'alice', '--password', 'x-new-password']);
    expect(run.code, run.stderr).toBe(0);
    const { readdirSync } = await import('node:fs');
    const names = readdirSync(join(dir, '.storage'));
    expect(names).not.toContain('.auth.ha-console-999999999-abcdef');
    expect(names).toContain(`.auth.ha-console-${live}-abcdef`); // its writer still runs
  });

  it('a data filesystem without a journal is written in place, and the command says so', async () => {
    const bare = join(work.dir, 'no-journal.img');
    const tree = join(work.dir, 'no-journal-tree', 'supervisor', 'homeassistant');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(tree, { recursive: true });
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'make-test-image-storage.mjs'), tree], {
      input: JSON.stringify({ cost: 4, users: [{ username: 'alice', password: 'alice-test-password' }] }),
    });
    expect(spawnSync('mkfs.ext4', ['-q', '-F', '-L', 'hassos-data', '-O', '^has_journal', '-E', 'root_owner=0:0', '-d', join(work.dir, 'no-journal-tree'), bare, '64M']).status).toBe(0);
    const run = await runHa(['--image', bare, 'auth', 'reset', '--username', 'alice', '--password', 'x-new-password']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/a filesystem without a journal: changes are written in place/);
    expect(spawnSync('e2fsck', ['-fn', bare]).status).toBe(0);
  });
});
