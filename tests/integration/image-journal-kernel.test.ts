import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withImage } from '../../src/targets/image/session';
import { runHa } from '../helpers/run-ha';
import { debugfsCat, fsckRepairPartition } from '../helpers/journal-fixture';
import { parseSuperblock } from '../../src/targets/image/superblock';
import { TABLES, copyImage, dataPartitionNumber, fsck, makeImage, makeTempDir, partitionRange, sha256 } from './image-fixture';

// A card whose power was pulled, made by the real kernel: the data partition of a HAOS-layout card (each
// partition table) is loop-mounted, Home Assistant's way of changing a store is done inside it (a temp file
// renamed over the old one), and the card is copied while still mounted, after the journal commit and
// before the kernel writes the blocks home. The copy has needs_recovery and committed transactions, as a
// card pulled from a running device. `ha --image` must show what the journal says (without touching the
// copy) and write after replaying it; e2fsck is the judge.

const PROVIDER = '/supervisor/homeassistant/.storage/auth_provider.homeassistant';
const AUTH = '/supervisor/homeassistant/.storage/auth';
const NEW_PASSWORD = 'carol-test-password';
const TIMEOUT = 240_000;

function superblockOfBytes(bytes: Buffer): NonNullable<ReturnType<typeof parseSuperblock>> {
  const sb = parseSuperblock(bytes);
  if (sb === undefined) throw new Error('no ext superblock');
  return sb;
}

interface Pulled {
  readonly snapshot: string;
  readonly offset: number;
  readonly size: number;
  readonly skip: string | undefined;
}

function tryRun(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** A file as our read session shows it (journal replayed in memory). */
async function replayedFile(image: string, path: string): Promise<string> {
  return withImage(image, { write: false }, async ({ ext }) => ext.readFile(path, { encoding: 'latin1' }));
}

async function replayedProvider(image: string): Promise<string> {
  return replayedFile(image, PROVIDER);
}

/** A file of the data partition as e2fsprogs reads it (no replay). */
function cat(image: string, offset: number, path: string): Buffer {
  return debugfsCat(`${image}?offset=${offset}`, path);
}

async function pullCard(table: (typeof TABLES)[number]): Promise<Pulled> {
  const fixture = makeImage(join(work.dir, `${table}-fixture.img`), ['--table', table, '--bcrypt-cost', '4']);
  const { offset, size } = partitionRange(fixture, dataPartitionNumber(fixture));
  const live = copyImage(fixture, work.dir, `${table}-live.img`);
  const mnt = join(work.dir, `${table}-mnt`);
  mkdirSync(mnt);
  // commit=1: the kernel commits the journal within a second, while the metadata itself is written
  // home only after the dirty expiry (30 s): between the two, the card is what a pulled plug leaves.
  if (!tryRun('mount', ['-o', `loop,commit=1,offset=${offset},sizelimit=${size}`, live, mnt])) {
    return { snapshot: '', offset, size, skip: 'loop mounts are not possible here (needs root and /dev/loop*)' };
  }
  try {
    // Home Assistant's Store: write a temp file, then rename it over the store (a new user, carol).
    const store = join(mnt, PROVIDER);
    const json = JSON.parse(readFileSync(store, 'utf8')) as { data: { users: { username: string; password: string }[] } };
    json.data.users.push({ username: 'carol', password: Buffer.from(bcrypt.hashSync(NEW_PASSWORD, 4)).toString('base64') });
    writeFileSync(`${store}.tmp`, JSON.stringify(json, null, 2), { mode: 0o600 });
    renameSync(`${store}.tmp`, store);
    // And a display name in .storage/auth, which `auth list` shows.
    const authPath = join(mnt, AUTH);
    const auth = readFileSync(authPath, 'utf8').replace('"name": "Alice"', '"name": "Alice Replayed"');
    writeFileSync(`${authPath}.tmp`, auth, { mode: 0o600 });
    renameSync(`${authPath}.tmp`, authPath);
    // Wait for the event: a copy whose journal holds the change while its home blocks do not yet.
    const deadline = Date.now() + 25_000;
    const candidate = join(work.dir, `${table}-pulled.img`);
    for (;;) {
      execFileSync('cp', ['--sparse=always', live, candidate]);
      if (cat(candidate, offset, PROVIDER).toString('utf8').includes('carol')) {
        throw new Error('the kernel wrote the change home before a copy caught it in the journal only');
      }
      if ((await replayedProvider(candidate)).includes('carol') && (await replayedFile(candidate, AUTH)).includes('Alice Replayed')) break;
      if (Date.now() > deadline) throw new Error('the kernel did not commit the journal within 25 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { snapshot: candidate, offset, size, skip: undefined };
  } finally {
    execFileSync('umount', [mnt]);
  }
}

let work: { dir: string; cleanup: () => void } = { dir: '', cleanup: () => undefined };
beforeAll(() => {
  work = makeTempDir();
});
afterAll(() => work.cleanup());

describe.each(TABLES)('a %s card pulled from a running device (kernel journal)', (table) => {
  let pulled: Pulled = { snapshot: '', offset: 0, size: 0, skip: 'not made' };
  beforeAll(async () => {
    pulled = await pullCard(table);
  }, TIMEOUT);

  it('has committed transactions waiting in its journal', (context) => {
    if (pulled.skip !== undefined) context.skip(pulled.skip);
    const { snapshot, offset } = pulled;
    const data = Buffer.alloc(1024);
    const fd = openSync(snapshot, 'r');
    readSync(fd, data, 0, 1024, offset + 1024);
    closeSync(fd);
    expect(superblockOfBytes(data).needsRecovery).toBe(true);
    // Without a replay, the card still shows the old store (no carol): what reads used to show.
    expect(cat(snapshot, offset, PROVIDER).toString('utf8')).not.toMatch(/carol/);
  });

  it('auth list shows the users the journal says, and leaves the card byte-identical', async (context) => {
    if (pulled.skip !== undefined) context.skip(pulled.skip);
    const { snapshot, offset } = pulled;
    const before = sha256(snapshot);
    const result = await runHa(['--image', snapshot, 'auth', 'list']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Alice Replayed/);
    expect(cat(snapshot, offset, AUTH).toString('utf8')).not.toMatch(/Alice Replayed/);
    const info = await runHa(['--image', snapshot, '--raw-json', 'info']);
    expect(info.code, info.stderr).toBe(0);
    expect((JSON.parse(info.stdout) as { data: { journal: { kind: string; pendingTransactions: number } } }).data.journal)
      .toMatchObject({ kind: 'journal', pendingTransactions: expect.any(Number) });
    expect(sha256(snapshot)).toBe(before);
  }, TIMEOUT);

  it('auth reset replays first, then changes the password: e2fsck -fn clean, equal to e2fsck\'s replay otherwise', async (context) => {
    if (pulled.skip !== undefined) context.skip(pulled.skip);
    const { snapshot, offset, size } = pulled;
    const judged = copyImage(snapshot, work.dir, `${table}-judged.img`);
    expect(fsckRepairPartition(judged, offset, size).output).toMatch(/recovering journal/);
    const card = copyImage(snapshot, work.dir, `${table}-reset.img`);
    const result = await runHa(['--image', card, 'auth', 'reset', '--username', 'alice'], { input: 'alice-new-password\n' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Password for 'alice' changed in image .*-reset\.img .*journal transactions? left by a power cut replayed/);
    const check = fsck(card, offset);
    expect(check.status, check.output).toBe(0);
    // Everything but alice's hash is as e2fsck's replay left it.
    const ours = JSON.parse(cat(card, offset, PROVIDER).toString('utf8')) as { data: { users: { username: string; password: string }[] } };
    const theirs = JSON.parse(cat(judged, offset, PROVIDER).toString('utf8')) as typeof ours;
    expect(ours.data.users.map((u) => u.username)).toEqual(theirs.data.users.map((u) => u.username));
    for (const [i, user] of ours.data.users.entries()) {
      if (user.username === 'alice') {
        expect(bcrypt.compareSync('alice-new-password', Buffer.from(user.password, 'base64').toString())).toBe(true);
      } else {
        expect(user).toEqual(theirs.data.users[i]);
      }
    }
    expect(cat(card, offset, AUTH)).toEqual(cat(judged, offset, AUTH));
    expect(cat(card, offset, AUTH).toString('utf8')).toMatch(/Alice Replayed/);
  }, TIMEOUT);
});
