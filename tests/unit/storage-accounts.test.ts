import { describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { addUser, storedLoginName } from '../../src/storage/add-user';
import { resetMfa } from '../../src/storage/reset-mfa';
import { setUserFlag } from '../../src/storage/set-user-flag';
import { MemoryFs } from '../helpers/memory-fs';

// The account tasks of issue 15 over an in-memory fs: legacy-mode login names, refusals, put-back on a failed write.

const store = (key: string, data: unknown): Buffer => Buffer.from(JSON.stringify({ version: 1, minor_version: 1, key, data }, null, 2));
const user = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id, group_ids: ['system-users'], is_owner: false, is_active: true, name, system_generated: false, local_only: false, ...extra,
});
const credential = (id: string, userId: string, username: string) => ({ id, user_id: userId, auth_provider_type: 'homeassistant', auth_provider_id: null, data: { username } });
const HASH = Buffer.from(`$2b$04$${'a'.repeat(53)}`).toString('base64');

function accounts(names: readonly string[]): MemoryFs {
  const fs = new MemoryFs();
  fs.files.set('.storage/auth', store('auth', {
    users: names.map((n, i) => user(`u${i}`, n)),
    groups: [{ id: 'system-admin', name: 'Administrators' }],
    credentials: names.map((n, i) => credential(`c${i}`, `u${i}`, n)),
    refresh_tokens: [],
  }));
  fs.files.set('.storage/auth_provider.homeassistant', store('auth_provider.homeassistant', { users: names.map((username) => ({ username, password: HASH })) }));
  return fs;
}

const failure = async (promise: Promise<unknown>): Promise<HaError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HaError);
  return error as HaError;
};

describe('storedLoginName (providers/homeassistant.py add_auth)', () => {
  it.each([
    [['alice'], ' Bob ', 'bob'],
    [['alice'], 'STRASSE', 'strasse'],
    [['alice'], 'Straße', 'strasse'],
    [['Alice'], ' Bob ', ' Bob '], // legacy mode: a stored name is not normalized, Core stores as given
    [[], 'Carol', 'carol'],
  ])('existing %j, wanted %j -> %j', (existing, wanted, stored) => {
    expect(storedLoginName(existing, wanted)).toBe(stored);
  });
});

describe('addUser', () => {
  it('refuses a name equal after casefold (ß = ss) and writes nothing', async () => {
    const fs = accounts(['strasse']);
    const error = await failure(addUser(fs, { username: 'STRAßE', password: 'x', admin: false }));
    expect(error.message).toMatch(/"strasse" already exists; nothing was changed/);
    expect(fs.writes).toEqual([]);
  });

  it('puts .storage/auth back when the provider write fails', async () => {
    const fs = accounts(['alice']);
    const before = fs.files.get('.storage/auth');
    fs.failWrites.add('.storage/auth_provider.homeassistant');
    const error = await failure(addUser(fs, { username: 'rescue', password: 'x', admin: true }));
    expect(error.message).toMatch(/\.storage\/auth was put back, nothing was changed/);
    expect(fs.files.get('.storage/auth')).toEqual(before);
    expect(fs.writes).toEqual(['.storage/auth', '.storage/auth']);
  });

  it('refuses a folder without users (onboarding makes the owner)', async () => {
    const fs = new MemoryFs();
    expect((await failure(addUser(fs, { username: 'rescue', password: 'x', admin: true }))).message).toMatch(/no users yet/);
  });

  it('uses the ids it is given, in Core key order, 0600', async () => {
    const fs = accounts(['alice']);
    let n = 0;
    const outcome = await addUser(fs, { username: 'Rescue', password: 'x', admin: false, name: 'R' }, { newId: () => `id${(n += 1)}` });
    expect(outcome).toEqual({ username: 'rescue', name: 'R', admin: false });
    const auth = JSON.parse(fs.files.get('.storage/auth')?.toString() ?? '{}') as { data: { users: unknown[]; credentials: unknown[] } };
    expect(auth.data.users.at(-1)).toEqual(user('id1', 'R'));
    expect(auth.data.credentials.at(-1)).toEqual(credential('id2', 'id1', 'rescue'));
    expect(fs.modes.get('.storage/auth')).toBe(0o600);
    expect(fs.modes.get('.storage/auth_provider.homeassistant')).toBe(0o600);
  });
});

describe('resetMfa and setUserFlag', () => {
  it('refuses names that match two users only after casefold, and an unreadable module store', async () => {
    const fs = accounts(['Bob', 'BOB']);
    expect((await failure(resetMfa(fs, 'bob', ['totp']))).message).toMatch(/Several users match "bob"/);
    const one = accounts(['bob']);
    one.files.set('.storage/auth_module.totp', Buffer.from('{"version": 1, "data": {"users": {'));
    expect((await failure(resetMfa(one, 'bob', ['totp']))).message).toMatch(/^\.storage\/auth_module\.totp is not valid JSON .*forget every authenticator-app enrolment; nothing was changed$/);
    expect(one.writes).toEqual([]);
  });

  it('writes nothing when there is no enrolment or the flag already has the value', async () => {
    const fs = accounts(['bob']);
    expect(await resetMfa(fs, 'bob', ['totp', 'notify'])).toEqual({ username: 'bob', removed: [] });
    expect(await setUserFlag(fs, 'bob', 'is_active', true)).toMatchObject({ changed: false });
    expect(fs.writes).toEqual([]);
  });

  it('refuses while Home Assistant runs on the folder, unless forced', async () => {
    const fs = accounts(['bob']);
    const checkRunning = async () => 'process 42: hass';
    expect((await failure(setUserFlag(fs, 'bob', 'local_only', true, { checkRunning }))).message).toMatch(/appears to be running .*process 42/);
    expect(fs.writes).toEqual([]);
    expect(await setUserFlag(fs, 'bob', 'local_only', true, { checkRunning, options: { force: true } })).toMatchObject({ changed: true });
  });
});
