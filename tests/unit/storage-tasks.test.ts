import { bcryptVerify } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { createStorageTarget } from '../../src/storage/storage-target';
import { missingOnboardingSteps, readOnboarding } from '../../src/storage/onboarding-store';
import { MemoryFs } from '../helpers/memory-fs';

const store = (key: string, data: unknown, version = 1): Buffer =>
  Buffer.from(JSON.stringify({ version, minor_version: 1, key, data }, null, 2));

const user = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id, group_ids: ['system-users'], is_owner: false, is_active: true, name, system_generated: false, local_only: false, ...extra,
});
const credential = (id: string, userId: string, username: string) => ({
  id, user_id: userId, auth_provider_type: 'homeassistant', auth_provider_id: null, data: { username },
});

function demoFs(providerUsers: string[] = ['alice', 'bob']): MemoryFs {
  const fs = new MemoryFs();
  fs.files.set('.storage/auth', store('auth', {
    users: [
      user('u1', 'Alice', { is_owner: true, group_ids: ['system-admin'] }),
      user('u2', 'Supervisor', { system_generated: true, group_ids: ['system-admin'] }),
      user('u3', 'Bob', { local_only: true }),
    ],
    groups: [],
    credentials: [credential('c1', 'u1', 'alice'), credential('c3', 'u3', 'bob')],
    refresh_tokens: [],
  }));
  fs.files.set('.storage/auth_provider.homeassistant', store('auth_provider.homeassistant', {
    users: providerUsers.map((username) => ({ username, password: 'JDJiJDEyJC4uLg==' })),
  }));
  fs.files.set('.storage/onboarding', store('onboarding', { done: ['user', 'core_config', 'analytics', 'integration'] }, 4));
  fs.files.set('.storage/hassio', store('hassio', { hassio_user: 'u2' }));
  return fs;
}

const NO_FORCE = { force: false };

async function caught(promise: Promise<unknown>): Promise<HaError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HaError) return error;
    throw error;
  }
  throw new Error('expected an HaError');
}

function providerHashes(fs: MemoryFs): Record<string, string> {
  const parsed = JSON.parse(fs.files.get('.storage/auth_provider.homeassistant')?.toString() ?? '{}') as {
    data: { users: { username: string; password: string }[] };
  };
  return Object.fromEntries(parsed.data.users.map((u, i) => [`${i}:${u.username}`, u.password]));
}

describe('storage tasks over StorageFs', () => {
  it('lists people, not system users, with their login names', async () => {
    const target = createStorageTarget(demoFs(), 'memory');
    expect(await target.listUsers()).toEqual([
      { username: 'alice', name: 'Alice', isOwner: true, isActive: true, localOnly: false, groupIds: ['system-admin'], mfa: [] },
      { username: 'bob', name: 'Bob', isOwner: false, isActive: true, localOnly: true, groupIds: ['system-users'], mfa: [] },
    ]);
  });

  it('resets a password by normalized name, writing only the provider file, 0600', async () => {
    const fs = demoFs();
    const outcome = await createStorageTarget(fs, 'memory').resetPassword(' ALICE', 'new secret', NO_FORCE);
    expect(outcome.updated).toEqual(['alice']);
    expect(fs.writes).toEqual(['.storage/auth_provider.homeassistant']);
    expect(fs.modes.get('.storage/auth_provider.homeassistant')).toBe(0o600);
    const hashes = providerHashes(fs);
    expect(hashes['1:bob']).toBe('JDJiJDEyJC4uLg==');
    const hash = Buffer.from(hashes['0:alice'] ?? '', 'base64').toString('ascii');
    expect(await bcryptVerify({ password: 'new secret', hash })).toBe(true);
  });

  it('updates every duplicate match and says so', async () => {
    const fs = demoFs(['Alice', 'bob', 'alice ']);
    const outcome = await createStorageTarget(fs, 'memory').resetPassword('ALICE', 'pw-dup', NO_FORCE);
    expect(outcome.updated).toEqual(['Alice', 'alice ']);
    const hashes = providerHashes(fs);
    expect(hashes['0:Alice']).toBe(hashes['2:alice ']);
    expect(hashes['0:Alice']).not.toBe('JDJiJDEyJC4uLg==');
  });

  it('refuses an unknown user, lists known names, writes nothing', async () => {
    const fs = demoFs();
    const error = await caught(createStorageTarget(fs, 'memory').resetPassword('carol', 'x', NO_FORCE));
    expect(error.message).toBe('User "carol" not found in .storage/auth_provider.homeassistant; nothing was changed');
    expect(error.hint).toBe('Known usernames: alice, bob');
    expect(fs.writes).toEqual([]);
  });

  it('missing provider file means no users', async () => {
    const fs = demoFs();
    fs.files.delete('.storage/auth_provider.homeassistant');
    const error = await caught(createStorageTarget(fs, 'memory').resetPassword('alice', 'x', NO_FORCE));
    expect(error.message).toMatch(/not found/);
    expect(error.hint).toMatch(/onboarding reset/);
  });

  it('refuses to work on a corrupt auth or provider file and leaves it alone', async () => {
    for (const key of ['auth', 'auth_provider.homeassistant']) {
      const fs = demoFs();
      const corrupt = Buffer.from('{\n  "version": 1,\n  "key": "x",\n  "data": {"users": [\n');
      fs.files.set(`.storage/${key}`, corrupt);
      const error = await caught(createStorageTarget(fs, 'memory').resetPassword('alice', 'x', NO_FORCE));
      expect(error.message).toMatch(new RegExp(`^\\.storage/${key.replace('.', '\\.')} is not valid JSON \\(line 5\\): .*nothing was changed$`));
      expect(fs.writes).toEqual([]);
      expect(fs.files.get(`.storage/${key}`)).toEqual(corrupt);
    }
  });

  it('refuses a provider file of an unknown version', async () => {
    const fs = demoFs();
    fs.files.set('.storage/auth_provider.homeassistant', store('auth_provider.homeassistant', { users: [] }, 2));
    const error = await caught(createStorageTarget(fs, 'memory').resetPassword('alice', 'x', NO_FORCE));
    expect(error.message).toMatch(/version 2, which this tool does not know/);
    expect(fs.writes).toEqual([]);
  });

  it('refuses writes while Home Assistant runs, unless forced', async () => {
    const fs = demoFs();
    const target = createStorageTarget(fs, 'memory', async () => 'process 42: hass -c /config');
    const error = await caught(target.resetPassword('bob', 'x', NO_FORCE));
    expect(error.message).toMatch(/appears to be running on this config \(process 42: hass -c \/config\)/);
    expect(await caught(target.resetOnboarding(NO_FORCE))).toBeInstanceOf(HaError);
    expect(fs.writes).toEqual([]);
    expect((await target.resetPassword('bob', 'x', { force: true })).updated).toEqual(['bob']);
  });

  it('onboarding reset moves the five files into a dated folder, and is safe to run twice', async () => {
    const fs = demoFs();
    const before = new Map(fs.files);
    const target = createStorageTarget(fs, 'memory', undefined, () => new Date(Date.UTC(2025, 5, 14, 18, 2, 11)));
    const outcome = await target.resetOnboarding(NO_FORCE);
    expect(outcome.backupDir).toBe('.storage/backup-onboarding-20250614-180211');
    expect(outcome.moved).toEqual(['onboarding', 'auth', 'auth_provider.homeassistant', 'hassio']);
    for (const key of outcome.moved) {
      expect(fs.files.has(`.storage/${key}`)).toBe(false);
      expect(fs.files.get(`${outcome.backupDir}/${key}`)).toEqual(before.get(`.storage/${key}`));
    }
    expect(await target.resetOnboarding(NO_FORCE)).toEqual({ backupDir: '', moved: [] });
    expect(await target.listUsers()).toEqual([]);
  });

  it('says a folder without .storage is not a config folder', async () => {
    const fs = new MemoryFs();
    fs.dirs.clear();
    const error = await caught(createStorageTarget(fs, 'config folder /tmp/x').listUsers());
    expect(error.message).toBe('config folder /tmp/x is not a Home Assistant config folder (it has no .storage folder)');
    expect(error.hint).toMatch(/\/mnt\/data\/supervisor\/homeassistant/);
  });

  it('reads onboarding state (v4, and older versions Core migrates) and refuses bad shapes', async () => {
    const fs = demoFs();
    expect(missingOnboardingSteps(await readOnboarding(fs))).toEqual([]);
    fs.files.set('.storage/onboarding', store('onboarding', { done: ['user'] }, 3));
    expect(missingOnboardingSteps(await readOnboarding(fs))).toEqual(['core_config', 'analytics', 'integration']);
    fs.files.delete('.storage/onboarding');
    expect(await readOnboarding(fs)).toEqual({ exists: false, done: [] });
    fs.files.set('.storage/onboarding', store('onboarding', { done: 'user' }, 4));
    expect((await caught(readOnboarding(fs))).message).toMatch(/data\.done is string/);
    fs.files.set('.storage/onboarding', store('onboarding', { done: [] }, 5));
    expect((await caught(readOnboarding(fs))).message).toMatch(/version 5/);
  });

  it('refuses an auth file whose users or credentials are malformed', async () => {
    const fs = demoFs();
    fs.files.set('.storage/auth', store('auth', { users: [user('u1', 'A', { is_owner: 'yes' })], groups: [], credentials: [], refresh_tokens: [] }));
    expect((await caught(createStorageTarget(fs, 'memory').listUsers())).message).toMatch(/data\.users\[0\]\.is_owner is string/);
    fs.files.set('.storage/auth', store('auth', { users: [], groups: [], credentials: [credential('c9', 'ghost', 'x')], refresh_tokens: [] }));
    expect((await caught(createStorageTarget(fs, 'memory').listUsers())).message).toMatch(/credential c9 points at missing user ghost/);
  });
});
