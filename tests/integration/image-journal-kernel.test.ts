import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withImage } from '../../src/targets/image/session';
import { runHa } from '../helpers/run-ha';
import { debugfsCat, fsckReadOnly, fsckRepair, makeDataFs, sha256, superblockOf } from '../helpers/journal-fixture';
import { makeTempDir } from './image-fixture';

// A card whose power was pulled, made by the real kernel: the data filesystem is loop-mounted, Home
// Assistant's way of changing a store is done inside it (a temp file renamed over the old one), the
// journal is committed (sync), and the backing file is copied while still mounted. The copy has
// needs_recovery and committed transactions, as a card pulled from a running device. `ha --image` must
// show what the journal says (without touching the copy) and write after replaying it; e2fsck is the judge.

const PROVIDER = '/supervisor/homeassistant/.storage/auth_provider.homeassistant';
const AUTH = '/supervisor/homeassistant/.storage/auth';
const NEW_PASSWORD = 'carol-test-password';
let work: { dir: string; cleanup: () => void } = { dir: '', cleanup: () => undefined };
let snapshot = '';
let mountable = true;
let skipReason = '';

function tryRun(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** The provider store as our read session shows it (journal replayed in memory). */
async function replayedFile(image: string, path: string): Promise<string> {
  return withImage(image, { write: false }, async ({ ext }) => ext.readFile(path, { encoding: 'latin1' }));
}

async function replayedProvider(image: string): Promise<string> {
  return replayedFile(image, PROVIDER);
}

beforeAll(async () => {
  work = makeTempDir();
  const image = makeDataFs(join(work.dir, 'live.img'), work.dir, { blockSize: 4096, sizeMiB: 64, journalMiB: 4 });
  const mnt = join(work.dir, 'mnt');
  mkdirSync(mnt);
  // commit=1: the kernel commits the journal within a second, while the metadata itself is written
  // home only after the dirty expiry (30 s): between the two, the card is what a pulled plug leaves.
  if (!tryRun('mount', ['-o', 'loop,commit=1', image, mnt])) {
    mountable = false;
    skipReason = 'loop mounts are not possible here (needs root and /dev/loop*)';
    return;
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
    const candidate = join(work.dir, 'pulled.img');
    for (;;) {
      copyFileSync(image, candidate);
      const raw = debugfsCat(candidate, PROVIDER).toString('utf8');
      if (raw.includes('carol')) throw new Error('the kernel wrote the change home before a copy caught it in the journal only');
      if ((await replayedProvider(candidate)).includes('carol') && (await replayedFile(candidate, AUTH)).includes('Alice Replayed')) break;
      if (Date.now() > deadline) throw new Error('the kernel did not commit the journal within 25 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    snapshot = candidate;
  } finally {
    execFileSync('umount', [mnt]);
  }
});
afterAll(() => work.cleanup());

describe('a card pulled from a running device (kernel journal)', () => {
  it('has committed transactions waiting in its journal', (context) => {
    if (!mountable) context.skip(skipReason);
    expect(superblockOf(snapshot).needsRecovery).toBe(true);
    const stale = debugfsCat(snapshot, PROVIDER).toString('utf8');
    // Without a replay, the card still shows the old store (no carol): what reads used to show.
    expect(stale).not.toMatch(/carol/);
  });

  it('auth list shows the users the journal says, and leaves the card byte-identical', async (context) => {
    if (!mountable) context.skip(skipReason);
    const before = sha256(snapshot);
    const result = await runHa(['--image', snapshot, 'auth', 'list']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Alice Replayed/);
    expect(debugfsCat(snapshot, AUTH).toString('utf8')).not.toMatch(/Alice Replayed/);
    expect(sha256(snapshot)).toBe(before);
    const info = await runHa(['--image', snapshot, '--raw-json', 'info']);
    expect(info.code, info.stderr).toBe(0);
    expect((JSON.parse(info.stdout) as { data: { journal: { kind: string; pendingTransactions: number } } }).data.journal)
      .toMatchObject({ kind: 'journal', pendingTransactions: expect.any(Number) });
    expect(sha256(snapshot)).toBe(before);
  });

  it('auth reset replays first, then changes the password: e2fsck -fn clean, equal to e2fsck\'s replay otherwise', async (context) => {
    if (!mountable) context.skip(skipReason);
    const judged = join(work.dir, 'judged.img');
    copyFileSync(snapshot, judged);
    const repair = fsckRepair(judged);
    expect(repair.output).toMatch(/recovering journal/);
    const card = join(work.dir, 'reset.img');
    copyFileSync(snapshot, card);
    const result = await runHa(['--image', card, 'auth', 'reset', '--username', 'alice'], { input: 'alice-new-password\n' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Password for 'alice' changed in image reset\.img .*1 journal transaction left by a power cut replayed/);
    expect(superblockOf(card).needsRecovery).toBe(false);
    const check = fsckReadOnly(card);
    expect(check.status, check.output).toBe(0);
    // Everything but alice's hash is as e2fsck's replay left it.
    const ours = JSON.parse(debugfsCat(card, PROVIDER).toString('utf8')) as { data: { users: { username: string; password: string }[] } };
    const theirs = JSON.parse(debugfsCat(judged, PROVIDER).toString('utf8')) as typeof ours;
    expect(ours.data.users.map((u) => u.username)).toEqual(theirs.data.users.map((u) => u.username));
    for (const [i, user] of ours.data.users.entries()) {
      if (user.username === 'alice') {
        expect(bcrypt.compareSync('alice-new-password', Buffer.from(user.password, 'base64').toString())).toBe(true);
      } else {
        expect(user).toEqual(theirs.data.users[i]);
      }
    }
    expect(debugfsCat(card, AUTH)).toEqual(debugfsCat(judged, AUTH));
    expect(debugfsCat(card, AUTH).toString('utf8')).toMatch(/Alice Replayed/);
  });
});
