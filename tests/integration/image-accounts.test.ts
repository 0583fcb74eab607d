import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountUsersFile, parseStore, providerPasswordMatches, pythonJson, userIdOf, type StoreFile } from '../helpers/accounts-fixture';
import { runHa } from '../helpers/run-ha';
import { STORAGE, copyImage, debugfs, fsck, inodeInfo, makeImage, makeTempDir, partitionOffset, sha256 } from './image-fixture';

// Issue 15 on HAOS card images (made by scripts/make-test-image with users in Core's formats): each change
// through the real CLI, judged by debugfs (the files), Python's json (exact format, others byte-identical)
// and e2fsck -fn (a clean filesystem).

/** Expected bytes: `before` parsed, edited, written as Core writes it. */
function edited(before: Buffer, edit: (store: StoreFile) => void): Buffer {
  const store = parseStore(before);
  edit(store);
  return pythonJson(store);
}

describe.each(['gpt', 'mbr'] as const)('account recovery on a HAOS %s image', (table) => {
  const temp = makeTempDir();
  let fixture: string;
  beforeAll(() => {
    fixture = makeImage(`${temp.dir}/accounts-${table}.img`, ['--table', table, '--storage-json', accountUsersFile(temp.dir)]);
  }, 120_000);
  afterAll(() => temp.cleanup());

  it('resets two-factor, adds an admin, activates and opens an account: one user changed each time, e2fsck clean', async () => {
    const image = copyImage(fixture, temp.dir, `work-${table}.img`);
    const offset = partitionOffset(image);
    const cat = (key: string): Buffer => Buffer.from(debugfs(image, offset, `cat "${STORAGE}/${key}"`), 'utf8');
    const ha = (...args: string[]) => runHa(['--image', image, 'auth', ...args], { timeoutMs: 60_000 });
    const clean = (): void => expect(fsck(image, offset).status, fsck(image, offset).output).toBe(0);
    const auth = cat('auth');
    const totp = cat('auth_module.totp');
    const notify = cat('auth_module.notify');
    const provider = cat('auth_provider.homeassistant');
    const id = (name: string): string => userIdOf(parseStore(auth), name);

    const list = await ha('mfa', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\nalice\s+Alice\s+totp\nbob\s+Bob\s+totp, notify\n/);

    const before = sha256(image);
    const refused = await ha('mfa', 'reset', '--username', 'mallory');
    expect(refused.code).toBe(1);
    expect(sha256(image)).toBe(before);

    const mfa = await ha('mfa', 'reset', '--username', 'bob', '--module', 'totp');
    expect(mfa.stderr).toBe('');
    expect(mfa.code).toBe(0);
    expect(cat('auth_module.totp')).toEqual(edited(totp, (s) => delete (s.data['users'] as Record<string, unknown>)[id('bob')]));
    expect(cat('auth_module.notify')).toEqual(notify);
    expect(inodeInfo(image, offset, `${STORAGE}/auth_module.totp`)).toEqual({ mode: '0600', uid: 0, gid: 0 });
    clean();

    const add = await ha('add', '--username', 'rescue', '--password', 'rescue-pass', '--admin');
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const added = parseStore(cat('auth'));
    const user = (added.data['users'] as Record<string, unknown>[]).at(-1);
    const credential = (added.data['credentials'] as Record<string, unknown>[]).at(-1);
    expect(user).toMatchObject({ group_ids: ['system-admin'], is_active: true, is_owner: false, name: 'rescue' });
    expect(credential).toMatchObject({ user_id: user?.['id'], auth_provider_type: 'homeassistant', data: { username: 'rescue' } });
    expect(cat('auth')).toEqual(edited(auth, (s) => {
      (s.data['users'] as unknown[]).push(user);
      (s.data['credentials'] as unknown[]).push(credential);
    }));
    const providerAfter = parseStore(cat('auth_provider.homeassistant'));
    expect(providerPasswordMatches(providerAfter, 'rescue', 'rescue-pass')).toBe(true);
    expect((providerAfter.data['users'] as unknown[]).slice(0, -1)).toEqual(parseStore(provider).data['users']);
    clean();

    const authBefore = cat('auth');
    expect((await ha('activate', '--username', 'carol')).code).toBe(0);
    expect((await ha('local-only', '--username', 'dave', 'off')).code).toBe(0);
    expect(cat('auth')).toEqual(edited(authBefore, (s) => {
      for (const u of s.data['users'] as { id: string; is_active: boolean; local_only: boolean }[]) {
        if (u.id === id('carol')) u.is_active = true;
        if (u.id === id('dave')) u.local_only = false;
      }
    }));
    expect(inodeInfo(image, offset, `${STORAGE}/auth`)).toEqual({ mode: '0600', uid: 0, gid: 0 });
    clean();
  }, 180_000);
});
