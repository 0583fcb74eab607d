import { describe, expect, it } from 'vitest';
import { DecodeError, decodeAuthList, decodeEnvelope, decodeNetworkInfo, decodeObject, parseJson } from '../../src/supervisor/decode';

describe('envelope', () => {
  it.each([
    ['{"result":"ok","data":{"a":1}}', { result: 'ok', data: { a: 1 } }],
    ['{"result":"ok"}', { result: 'ok', data: {} }],
    ['{"result":"error","message":"boom","error_key":"k"}', { result: 'error', message: 'boom', errorKey: 'k' }],
    ['{"result":"error"}', { result: 'error', message: 'Unknown error', errorKey: undefined }],
    ['{"result":"maybe"}', undefined],
    ['[1,2]', undefined],
    ['not json', undefined],
  ])('%s', (text, expected) => {
    expect(decodeEnvelope(parseJson(text))).toEqual(expected);
  });
});

describe('data decoders', () => {
  it('decodeObject refuses lists and scalars', () => {
    expect(decodeObject({ a: 1 })).toEqual({ a: 1 });
    expect(() => decodeObject([1])).toThrow(DecodeError);
    expect(() => decodeObject('x')).toThrow(/expected an object, got a string/);
  });

  const iface = { interface: 'eth0', type: 'ethernet', enabled: true, connected: true, primary: true, mac: 'aa', ipv4: { address: ['192.168.1.5/24'], method: 'auto' }, ipv6: null };
  it('network info keeps the other fields and validates interfaces', () => {
    const decoded = decodeNetworkInfo({ interfaces: [iface], host_internet: true });
    expect(decoded.interfaces[0]).toEqual({ interface: 'eth0', type: 'ethernet', enabled: true, connected: true, primary: true, ipv4: { address: ['192.168.1.5/24'] }, ipv6: null });
    expect(decoded['host_internet']).toBe(true);
  });
  it.each([
    [{ interfaces: 'x' }, /interfaces: expected a list, got a string/],
    [{ interfaces: [{ ...iface, enabled: 'yes' }] }, /interfaces\[0\]\.enabled: expected a boolean, got a string/],
    [{ interfaces: [{ ...iface, ipv4: { address: [1] } }] }, /interfaces\[0\]\.ipv4\.address: expected a list of strings/],
  ])('network info rejects %j', (data, message) => {
    expect(() => decodeNetworkInfo(data)).toThrow(message);
  });

  it('auth list', () => {
    const user = { username: 'anna', name: 'Anna', is_owner: true, is_active: true, local_only: false, group_ids: ['system-admin'] };
    expect(decodeAuthList({ users: [user, { ...user, username: null, group_ids: [] }] }).users).toEqual([user, { ...user, username: '', group_ids: [] }]);
    expect(() => decodeAuthList({ users: [{ ...user, username: 5 }] })).toThrow(/users\[0\]\.username/);
    expect(() => decodeAuthList({})).toThrow(/users: expected a list, got nothing/);
  });
});
