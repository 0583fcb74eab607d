import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/emulator';
import { HaError } from '../../src/errors/ha-error';
import { createSupervisorClient } from '../../src/supervisor/client';
import { probeCoreRunning } from '../../src/supervisor/core-state';
import { SupervisorResponseError } from '../../src/supervisor/errors';
import type { AuthUserRow, RecoveryTarget, TargetScope } from '../../src/targets/types';

/** A tiny user store standing in for a config folder. */
function memoryScope(names: string[]): { scope: TargetScope; resets: Array<[string, string]> } {
  const resets: Array<[string, string]> = [];
  const rows: AuthUserRow[] = names.map((name, i) => ({ username: name, name: name.toUpperCase(), isOwner: i === 0, isActive: true, localOnly: false, groupIds: ['system-users'] }));
  const target: RecoveryTarget = {
    description: 'test users',
    listUsers: async () => rows,
    resetPassword: async (username, password) => {
      const hit = rows.filter((r) => r.username === username).map((r) => r.username ?? '');
      if (hit.length > 0) resets.push([username, password]);
      return { updated: hit };
    },
    resetOnboarding: async () => ({ backupDir: '', moved: [] }),
    listMfa: async () => [],
    resetMfa: () => Promise.reject(new Error('not in this test')),
    addUser: () => Promise.reject(new Error('not in this test')),
    setUserFlag: () => Promise.reject(new Error('not in this test')),
  };
  return { scope: (fn) => fn(target), resets };
}

async function rejection(promise: Promise<unknown>): Promise<HaError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HaError);
  return error as HaError;
}

describe('client against the emulator', () => {
  let emulator: Emulator;
  const store = memoryScope(['anna', 'ben']);
  beforeAll(async () => {
    emulator = await createEmulator({ auth: store.scope, hostname: 'testhost' });
  });
  afterAll(() => emulator.close());
  const client = (token?: string) => createSupervisorClient({ endpoint: `${emulator.url}/`, token: token ?? emulator.token });

  it('reads info endpoints', async () => {
    const c = client();
    expect(c.endpoint).toBe(emulator.url);
    expect(await c.ping()).toBe(true);
    expect((await c.info()).data['hostname']).toBe('testhost');
    expect((await c.coreInfo()).data['port']).toBe(8123);
    const host = await c.call('GET', '/host/info');
    expect(host.body).toContain('"result":"ok"');
    const network = await c.networkInfo();
    expect(network.data.interfaces.length).toBeGreaterThan(0);
    expect(typeof network.data.interfaces[0]?.interface).toBe('string');
    expect((await c.call('GET', '/dns/info')).data).toHaveProperty('servers');
    expect((await c.call('GET', '/supervisor/info')).data).toHaveProperty('healthy', true);
  });

  it('tells a stopped Core apart', async () => {
    const c = client();
    expect(await probeCoreRunning(c)).toBe('running');
    await c.call('POST', '/core/stop', {});
    expect(emulator.state.coreRunning).toBe(false);
    const stats = await rejection(c.coreStats());
    expect(stats).toBeInstanceOf(SupervisorResponseError);
    expect(stats.message).toMatch(/not running/);
    expect(await probeCoreRunning(c)).toBe('stopped');
    const list = await rejection(c.authList());
    expect((list as SupervisorResponseError).errorKey).toBe('auth_list_users_error');
    const reset = await rejection(c.authReset('anna', 'pw'));
    expect(reset.message).toBe("Username 'anna' does not exist. Check list of users using 'ha auth list'.");
    expect((reset as SupervisorResponseError).errorKey).toBe('auth_password_reset_error');
    await c.call('POST', '/core/start');
    expect(await probeCoreRunning(c)).toBe('running');
  });

  it('lists users and resets a password through the target', async () => {
    const c = client();
    const { data } = await c.authList();
    expect(data.users.map((u) => u.username)).toEqual(['anna', 'ben']);
    await c.authReset('ben', 'new "pass" & more');
    expect(store.resets).toContainEqual(['ben', 'new "pass" & more']);
    const missing = await rejection(c.authReset('nobody', 'x'));
    expect(missing.message).toMatch(/^Username 'nobody' does not exist/);
    expect(missing.body).toContain('auth_password_reset_error');
    const before = emulator.state.authCacheClears;
    await c.authCacheClear();
    expect(emulator.state.authCacheClears).toBe(before + 1);
  });

  it('reboot: a reply and a dropped connection both count as success', async () => {
    const c = client();
    await c.hostPower('reboot', false);
    emulator.state.power = 'drop';
    const dropped = await c.hostPower('shutdown', true);
    expect(dropped.body).toBe('');
    emulator.state.power = 'reply';
    expect(emulator.state.powerRequests).toEqual(['reboot', 'shutdown']);
  });

  it('token problems, unknown paths and setup state are one line with a hint', async () => {
    const wrong = await rejection(client('wrong').info());
    expect(wrong.message).toMatch(/403: Forbidden/);
    const none = await rejection(createSupervisorClient({ endpoint: emulator.url, token: undefined }).info());
    expect(none.message).toMatch(/needs an API token and none was given/);
    expect(none.hint).toMatch(/SUPERVISOR_TOKEN/);
    expect(await createSupervisorClient({ endpoint: emulator.url, token: undefined }).ping()).toBe(true);
    const missing = await rejection(client().call('GET', '/nope'));
    expect(missing.message).toMatch(/does not know \/nope \(404: Not Found\)/);
    emulator.state.state = 'setup';
    const setup = await rejection(client().info());
    emulator.state.state = 'running';
    expect(setup.message).toBe('The Supervisor is still starting (state: setup)');
    expect(setup.hint).toMatch(/Wait/);
  });

  it('a caller abort rejects with an AbortError, not a HaError', async () => {
    const controller = new AbortController();
    controller.abort();
    const error: unknown = await client().info({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
  });
});
