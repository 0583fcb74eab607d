import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeAccountsConfig, removeAccountsConfigs, parseStore, providerPasswordMatches, pythonJson, userIdOf, type StoreFile } from '../helpers/accounts-fixture';
import { runHa } from '../helpers/run-ha';

// Issue 15 on a config folder, through the real CLI: two-factor resets, new logins, activation, local-only.
// The judge of every write is Python's json (the file must be exactly what it writes for the expected data,
// so every other user's entry is byte-identical) and bcrypt for the new password.

afterAll(removeAccountsConfigs);

const read = (dir: string, key: string): Buffer => readFileSync(join(dir, '.storage', key));
const ha = (dir: string, ...args: string[]) => runHa(['--config', dir, 'auth', ...args]);

/** The expected bytes: `before` parsed, edited, and written as Core's Store writes it. */
function edited(before: Buffer, edit: (store: StoreFile) => void): Buffer {
  const store = parseStore(before);
  edit(store);
  return pythonJson(store);
}

describe('auth list on a config folder', () => {
  it('has an MFA column and names deactivated and local-only accounts with the command that fixes each', async () => {
    const dir = makeAccountsConfig();
    const run = await ha(dir, 'list');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe([
      'USERNAME  NAME   OWNER  ACTIVE  ADMIN  MFA',
      'alice     Alice  yes    yes     yes    totp',
      'bob       Bob    no     yes     no     totp, notify',
      'carol     Carol  no     no      no     none',
      'dave      Dave   no     yes     no     none',
      '',
      'carol is deactivated and cannot log in; to let it in again: auth activate --username carol',
      'dave may log in only from the local network; to allow it from anywhere: auth local-only --username dave off',
      '',
    ].join('\n'));
    await ha(dir, 'activate', '--username', 'carol');
    await ha(dir, 'local-only', '--username', 'dave', 'off');
    expect((await ha(dir, 'list')).stdout).not.toMatch(/deactivated|local network/);
  });
});

describe('auth mfa on a config folder', () => {
  it('lists who has which two-factor module, with the command that removes it', async () => {
    const dir = makeAccountsConfig();
    const run = await ha(dir, 'mfa', 'list');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^USERNAME\s+NAME\s+MFA\nalice\s+Alice\s+totp\nbob\s+Bob\s+totp, notify\ncarol\s+Carol\s+none\ndave\s+Dave\s+none\n/);
    expect(run.stdout).toContain('auth mfa reset --username alice\n');
    expect(run.stdout).toContain('auth mfa reset --username bob\n');
    expect(run.stdout).not.toContain('--username carol');
  });

  it('removes one module of one user: only that key goes, the other users and modules keep their bytes', async () => {
    const dir = makeAccountsConfig();
    const totp = read(dir, 'auth_module.totp');
    const notify = read(dir, 'auth_module.notify');
    const auth = read(dir, 'auth');
    const bob = userIdOf(parseStore(auth), 'bob');
    const run = await ha(dir, 'mfa', 'reset', '--username', 'BOB', '--module', 'totp');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Removed the authenticator app \(totp\) enrolment of 'bob' in config folder .*\nThey log in with the password alone now/);
    const after = read(dir, 'auth_module.totp');
    expect(after).toEqual(edited(totp, (s) => delete (s.data['users'] as Record<string, unknown>)[bob]));
    expect(Object.keys(parseStore(after).data['users'] as object)).toEqual([userIdOf(parseStore(auth), 'alice')]);
    expect(statSync(join(dir, '.storage', 'auth_module.totp')).mode & 0o777).toBe(0o600);
    expect(read(dir, 'auth_module.notify')).toEqual(notify);
    expect(read(dir, 'auth')).toEqual(auth);

    const rest = await ha(dir, 'mfa', 'reset', '--username', 'bob');
    expect(rest.code).toBe(0);
    expect(rest.stdout).toMatch(/^Removed the notify code \(notify\) enrolment of 'bob'/);
    expect(read(dir, 'auth_module.notify')).toEqual(edited(notify, (s) => delete (s.data['users'] as Record<string, unknown>)[bob]));
    expect(parseStore(read(dir, 'auth_module.notify')).data['users']).toEqual({});

    const again = await ha(dir, 'mfa', 'reset', '--username', 'bob');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^'bob' has no authenticator app \(totp\) or notify code \(notify\) enrolment in .*; nothing was changed\.\n$/);
  });

  it('refuses an unknown user or module and writes nothing', async () => {
    const dir = makeAccountsConfig();
    const totp = read(dir, 'auth_module.totp');
    const unknown = await ha(dir, 'mfa', 'reset', '--username', 'mallory');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Error: No user with login name "mallory".*nothing was changed\nHint: Known login names: "alice", "bob", "carol", "dave"\n$/);
    const module = await ha(dir, 'mfa', 'reset', '--username', 'alice', '--module', 'sms');
    expect(module.code).toBe(2);
    expect(read(dir, 'auth_module.totp')).toEqual(totp);
  });
});

describe('auth add on a config folder', () => {
  it('creates a working admin login as Core does: provider entry, user and credential, the rest byte-identical', async () => {
    const dir = makeAccountsConfig();
    const auth = read(dir, 'auth');
    const provider = read(dir, 'auth_provider.homeassistant');
    const run = await ha(dir, 'add', '--username', ' Rescue ', '--password', 'res cue "pw" ✓', '--admin', '--name', 'Rescue admin');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created administrator 'rescue' \(Rescue admin\) in config folder .*\nLog in as 'rescue'/);

    const after = parseStore(read(dir, 'auth'));
    const users = after.data['users'] as Record<string, unknown>[];
    const credentials = after.data['credentials'] as Record<string, unknown>[];
    const user = users.at(-1) ?? {};
    const credential = credentials.at(-1) ?? {};
    expect(Object.keys(user)).toEqual(['id', 'group_ids', 'is_owner', 'is_active', 'name', 'system_generated', 'local_only']);
    expect(user).toMatchObject({ group_ids: ['system-admin'], is_owner: false, is_active: true, name: 'Rescue admin', system_generated: false, local_only: false });
    expect(user['id']).toMatch(/^[0-9a-f]{32}$/);
    expect(credential).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), user_id: user['id'], auth_provider_type: 'homeassistant', auth_provider_id: null, data: { username: 'rescue' } });
    expect(read(dir, 'auth')).toEqual(edited(auth, (s) => {
      (s.data['users'] as unknown[]).push(user);
      (s.data['credentials'] as unknown[]).push(credential);
    }));
    const providerAfter = parseStore(read(dir, 'auth_provider.homeassistant'));
    expect(providerPasswordMatches(providerAfter, 'rescue', 'res cue "pw" ✓')).toBe(true);
    const entry = (providerAfter.data['users'] as { password: string }[]).at(-1);
    expect(read(dir, 'auth_provider.homeassistant')).toEqual(edited(provider, (s) => (s.data['users'] as unknown[]).push({ username: 'rescue', password: entry?.password })));
    expect(statSync(join(dir, '.storage', 'auth')).mode & 0o777).toBe(0o600);

    const list = await ha(dir, 'list');
    expect(list.stdout).toMatch(/\nrescue\s+Rescue admin\s+no\s+yes\s+yes/);
  });

  it('refuses a name that exists after strip and casefold, and writes nothing', async () => {
    const dir = makeAccountsConfig();
    const auth = read(dir, 'auth');
    const provider = read(dir, 'auth_provider.homeassistant');
    const run = await ha(dir, 'add', '--username', ' ALICE', '--password', 'x');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: The login name "alice" already exists; nothing was changed\nHint: .*auth reset --username "alice"/);
    expect(read(dir, 'auth')).toEqual(auth);
    expect(read(dir, 'auth_provider.homeassistant')).toEqual(provider);
  });
});

describe('auth activate and auth local-only on a config folder', () => {
  it('activates a deactivated account: only its is_active changes; twice is a no-op', async () => {
    const dir = makeAccountsConfig();
    const auth = read(dir, 'auth');
    const carol = userIdOf(parseStore(auth), 'carol');
    const run = await ha(dir, 'activate', '--username', 'carol');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^'carol' is now active in config folder /);
    const expected = edited(auth, (s) => {
      const user = (s.data['users'] as { id: string; is_active: boolean }[]).find((u) => u.id === carol);
      if (user) user.is_active = true;
    });
    expect(read(dir, 'auth')).toEqual(expected);
    const again = await ha(dir, 'activate', '--username', 'carol');
    expect(again.stdout).toMatch(/^'carol' is already active .*nothing was changed\.\n$/);
    expect(read(dir, 'auth')).toEqual(expected);
  });

  it('lets a local-only account log in from anywhere (off) and back (on)', async () => {
    const dir = makeAccountsConfig();
    const auth = read(dir, 'auth');
    const dave = userIdOf(parseStore(auth), 'dave');
    const off = await ha(dir, 'local-only', '--username', 'dave', 'off');
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/^'dave' is now allowed to log in from anywhere/);
    expect(read(dir, 'auth')).toEqual(edited(auth, (s) => {
      const user = (s.data['users'] as { id: string; local_only: boolean }[]).find((u) => u.id === dave);
      if (user) user.local_only = false;
    }));
    const on = await ha(dir, 'local-only', '--username', 'dave', 'on');
    expect(on.stdout).toMatch(/^'dave' is now limited to the local network/);
    expect(read(dir, 'auth')).toEqual(auth);
    const usage = await ha(dir, 'local-only', '--username', 'dave', 'maybe');
    expect(usage.code).toBe(2);
  });
});
