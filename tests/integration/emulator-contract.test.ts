import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../helpers/raw-http';
import { createEmulator, type Emulator } from '../../src/emulator/emulator';

describe('emulator wire contract', () => {
  let emulator: Emulator;
  let auth: Record<string, string>;
  beforeAll(async () => {
    emulator = await createEmulator({ token: 'tok', historyLines: { core: 20, dns: 5 }, coreRunning: true });
    auth = { Authorization: 'Bearer tok' };
  });
  afterAll(() => emulator.close());
  const get = (path: string, headers: Record<string, string> = {}) => raw(emulator.url, 'GET', path, { ...auth, ...headers });

  it('token: ping without, 401 without, 403 wrong, three header forms', async () => {
    expect(await raw(emulator.url, 'GET', '/supervisor/ping')).toMatchObject({ status: 200, body: '{"result":"ok","data":{}}' });
    expect(await raw(emulator.url, 'GET', '/info')).toMatchObject({ status: 401, body: '401: Unauthorized' });
    expect(await raw(emulator.url, 'GET', '/info', { Authorization: 'Bearer nope' })).toMatchObject({ status: 403, body: '403: Forbidden' });
    for (const header of [{ Authorization: 'Bearer tok' }, { 'X-Supervisor-Token': 'tok' }, { 'X-Hassio-Key': 'tok' }]) {
      expect((await raw(emulator.url, 'GET', '/info', header)).status).toBe(200);
    }
  });

  it('framework errors are plain text', async () => {
    expect(await get('/nothing/here')).toMatchObject({ status: 404, body: '404: Not Found' });
    expect(await raw(emulator.url, 'POST', '/info', auth)).toMatchObject({ status: 405, body: '405: Method Not Allowed' });
  });

  it('Accept is matched exactly', async () => {
    expect((await get('/core/logs', { Accept: 'text/plain' })).status).toBe(200);
    expect((await get('/core/logs', { Accept: '*/*' })).status).toBe(200);
    const bad = await get('/core/logs', { Accept: 'text/plain, */*' });
    expect(bad).toMatchObject({ status: 400, body: 'Invalid content type requested. Only text/plain and text/x-log supported for now.' });
  });

  it('Range, ?lines, defaults and X-First-Cursor', async () => {
    const five = await get('/core/logs', { Range: 'entries=:-4:' });
    expect(five.body.trim().split('\n')).toHaveLength(5);
    expect(five.headers['x-first-cursor']).toMatch(/^s=[0-9a-f]+;i=f$/);
    const fromCursor = await get('/core/logs', { Range: `entries=${String(five.headers['x-first-cursor'])}:1:2` });
    expect(fromCursor.body).toContain('(#16)');
    expect(fromCursor.body.trim().split('\n')).toHaveLength(2);
    expect((await get('/core/logs', { Range: 'entries=:0:' })).body.trim().split('\n')).toHaveLength(20);
    expect((await get('/core/logs?lines=3', { Range: 'entries=:0:' })).body.trim().split('\n')).toHaveLength(3);
    expect(await get('/core/logs', { Range: 'bytes=0-10' })).toMatchObject({ status: 400, body: 'Invalid range header: bytes=0-10' });
    expect((await get('/dns/logs')).body).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \S+ hassio_dns\[\d+\]: /);
    expect((await get('/core/logs?verbose')).body).toMatch(/ homeassistant\[\d+\]: /);
    expect((await get('/core/logs?no_colors')).body).not.toContain('\u001b[');
    expect((await get('/core/logs')).body).toContain('\u001b[');
  });

  it('boots', async () => {
    const boots = JSON.parse((await get('/host/logs/boots')).body) as { data: { boots: Record<string, string> } };
    expect(Object.keys(boots.data.boots).sort()).toEqual(['-1', '-2', '0']);
    expect((await get(`/host/logs/boots/${boots.data.boots['-1'] ?? ''}?lines=2`)).body).toContain('boot -1');
    expect(await get('/core/logs/boots/5')).toMatchObject({ status: 400, body: 'Logs only contain 3 boots' });
  });

  it('auth reset validation and the real misleading message', async () => {
    const post = (body: string) => raw(emulator.url, 'POST', '/auth/reset', { ...auth, 'Content-Type': 'application/json' }, body);
    expect(JSON.parse((await post('{"username":"a"}')).body)).toMatchObject({ result: 'error', message: "required key not provided @ data['password']. Got None" });
    expect(JSON.parse((await post('{"username":"a","password":"b","x":1}')).body).message).toMatch(/^extra keys not allowed @ data\['x'\]/);
    const noStore = await post('{"username":"a","password":"b"}');
    expect(noStore.status).toBe(400);
    expect(JSON.parse(noStore.body)).toMatchObject({ error_key: 'auth_password_reset_error', extra_fields: { user: 'a', auth_list_command: 'ha auth list' } });
  });

  it('setup state blocks calls with the JSON not-ready error', async () => {
    emulator.state.state = 'setup';
    const reply = await get('/core/info');
    emulator.state.state = 'running';
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ result: 'error', message: 'System is not ready with state: setup' });
  });

  it('reboot replies, then closes the connection', async () => {
    const reply = await raw(emulator.url, 'POST', '/host/reboot', { ...auth, 'Content-Type': 'application/json' }, '{"force":true}');
    expect(reply).toMatchObject({ status: 200, body: '{"result":"ok","data":{}}' });
    expect(reply.headers['connection']).toBe('close');
    expect(emulator.state.powerRequests).toContain('reboot');
  });
});
