import { describe, expect, it } from 'vitest';
import { errorFromResponse, errorFromTransport, streamCutError, SupervisorResponseError, timeoutError } from '../../src/supervisor/errors';

const base = { endpoint: 'http://supervisor', path: '/core/info', contentType: undefined, tokenGiven: true };

describe('errorFromResponse', () => {
  const table: Array<[string, { status: number; body: string; contentType?: string; tokenGiven?: boolean }, RegExp, RegExp]> = [
    ['JSON error envelope', { status: 400, body: '{"result":"error","message":"Core is not running"}' }, /^Core is not running$/, /supervisor logs/],
    ['not ready', { status: 400, body: '{"result":"error","message":"System is not ready with state: setup"}' }, /^The Supervisor is still starting \(state: setup\)$/, /Wait a minute/],
    ['401 text, token given', { status: 401, body: '401: Unauthorized' }, /refused the API token \(401: Unauthorized\)/, /SUPERVISOR_TOKEN.*--api-token/],
    ['401 text, no token', { status: 401, body: '401: Unauthorized', tokenGiven: false }, /needs an API token and none was given/, /SUPERVISOR_TOKEN/],
    ['403 text', { status: 403, body: '403: Forbidden' }, /does not allow this token to call \/core\/info \(403: Forbidden\)/, /--api-token/],
    ['404 text', { status: 404, body: '404: Not Found' }, /does not know \/core\/info \(404: Not Found\)/, /ha supervisor info/],
    ['405 text', { status: 405, body: '405: Method Not Allowed' }, /\(405: Method Not Allowed\)/, /ha supervisor info/],
    ['HTML by type', { status: 200, body: '<p>login</p>', contentType: 'text/html; charset=utf-8' }, /answered with an HTML page, not the API$/, /proxy/],
    ['HTML by body', { status: 502, body: '<!DOCTYPE html><html></html>' }, /HTML page/, /SUPERVISOR_ENDPOINT/],
    ['200 invalid JSON', { status: 200, body: '{"result": "ok", ' }, /sent a reply that is not valid JSON for \/core\/info/, /Something other/],
    ['200 JSON without envelope', { status: 200, body: '{"version": 1}' }, /JSON without the API envelope/, /Something other/],
    ['500 non-JSON text', { status: 500, body: 'Traceback (most recent call last):\n  File x' }, /failed with status 500: Traceback \(most recent call last\):$/, /supervisor logs/],
    ['500 empty', { status: 500, body: '' }, /failed with status 500 and no message/, /supervisor logs/],
    ['journal text', { status: 400, body: 'No systemd-journal-gatewayd Unix socket available' }, /^No systemd-journal-gatewayd Unix socket available$/, /host journal/],
    ['boots text', { status: 400, body: 'Logs only contain 3 boots' }, /^Logs only contain 3 boots$/, /ha host logs boots/],
    ['range text', { status: 400, body: 'Invalid range header: entries=x' }, /^Invalid range header/, /-n\/--lines/],
  ];
  it.each(table)('%s', (_name, input, message, hint) => {
    const error = errorFromResponse({ ...base, contentType: input.contentType, status: input.status, body: input.body, tokenGiven: input.tokenGiven ?? true });
    expect(error).toBeInstanceOf(SupervisorResponseError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('[object');
    expect(error.hint).toMatch(hint);
    expect(error.body).toBe(input.body);
  });

  it('keeps status and error key of an envelope error', () => {
    const body = JSON.stringify({ result: 'error', message: "Username 'x' does not exist.", error_key: 'auth_password_reset_error' });
    const error = errorFromResponse({ ...base, status: 400, body });
    expect(error).toMatchObject({ status: 400, errorKey: 'auth_password_reset_error' });
  });

  it('cuts a very long text to one short line', () => {
    const error = errorFromResponse({ ...base, status: 500, body: 'x'.repeat(5000) });
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('errorFromTransport', () => {
  const withCode = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
  it.each([
    ['ECONNREFUSED', /^Cannot reach the Supervisor at http:\/\/supervisor \(connection refused\)$/, /wait a minute/],
    ['ENOTFOUND', /^Cannot reach the Supervisor at http:\/\/supervisor \(name not found\)$/, /resolves only on a Home Assistant host/],
    ['EHOSTUNREACH', /\(host unreachable\)$/, /SUPERVISOR_ENDPOINT/],
    ['ECONNRESET', /closed the connection before answering$/, /restarting/],
    ['EWHATEVER', /\(EWHATEVER\)$/, /SUPERVISOR_ENDPOINT/],
  ])('%s', (code, message, hint) => {
    const error = errorFromTransport('http://supervisor', withCode(code));
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });
});

describe('fixed errors', () => {
  it('timeout names the seconds', () => {
    expect(timeoutError('http://supervisor', 30_000).message).toBe('The Supervisor at http://supervisor did not answer within 30 s');
    expect(timeoutError('http://x', 250).message).toMatch(/within 0\.3 s$/);
  });
  it('cut stream', () => {
    const error = streamCutError('http://supervisor');
    expect(error.message).toBe('The log stream from the Supervisor was cut');
    expect(error.hint).toMatch(/run the command again/);
  });
});
