import type { JsonValue, NetworkInterfaceInfo, SupervisorAuthUser } from './api';

/** A JSON object as the API sends it. */
export type JsonObject = { [key: string]: JsonValue };

/** A reply whose shape is not what the console expects; the client turns it into a HaError. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

/** The two envelope forms of the Supervisor API. */
export type Envelope =
  | { readonly result: 'ok'; readonly data: JsonValue }
  | { readonly result: 'error'; readonly message: string; readonly errorKey: string | undefined };

/** Parses JSON text; undefined when it is not JSON. */
export function parseJson(text: string): JsonValue | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonValue(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Structural check of a JSON value (what JSON.parse returns always passes; used for `unknown` input). */
export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') return Object.values(value).every(isJsonValue);
  return false;
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the `{"result": ...}` envelope; undefined when the value is not one. */
export function decodeEnvelope(value: JsonValue | undefined): Envelope | undefined {
  if (!isJsonObject(value)) return undefined;
  if (value['result'] === 'ok') return { result: 'ok', data: value['data'] ?? {} };
  if (value['result'] !== 'error') return undefined;
  const message = value['message'];
  const key = value['error_key'];
  return {
    result: 'error',
    message: typeof message === 'string' && message.trim() !== '' ? message : 'Unknown error',
    errorKey: typeof key === 'string' ? key : undefined,
  };
}

/** `data` that must be an object (info calls). */
export function decodeObject(data: JsonValue): JsonObject {
  if (!isJsonObject(data)) throw new DecodeError(`expected an object, got ${describe(data)}`);
  return data;
}

/** `GET /network/info`: the interfaces the banner and `network info` use. */
export function decodeNetworkInfo(data: JsonValue): { interfaces: NetworkInterfaceInfo[]; [key: string]: JsonValue | NetworkInterfaceInfo[] } {
  const object = decodeObject(data);
  const list = object['interfaces'];
  if (!Array.isArray(list)) throw new DecodeError(`interfaces: expected a list, got ${describe(list)}`);
  const interfaces = list.map((item, index) => decodeInterface(item, `interfaces[${index}]`));
  return { ...object, interfaces };
}

function decodeInterface(value: JsonValue, where: string): NetworkInterfaceInfo {
  if (!isJsonObject(value)) throw new DecodeError(`${where}: expected an object, got ${describe(value)}`);
  return {
    interface: field(value, 'interface', 'string', where),
    type: field(value, 'type', 'string', where),
    enabled: field(value, 'enabled', 'boolean', where),
    connected: field(value, 'connected', 'boolean', where),
    primary: field(value, 'primary', 'boolean', where),
    ipv4: decodeAddresses(value['ipv4'], `${where}.ipv4`),
    ipv6: decodeAddresses(value['ipv6'], `${where}.ipv6`),
  };
}

function decodeAddresses(value: JsonValue | undefined, where: string): { address: string[] } | null {
  if (value === undefined || value === null) return null;
  if (!isJsonObject(value)) throw new DecodeError(`${where}: expected an object or null, got ${describe(value)}`);
  const address = value['address'] ?? [];
  if (!Array.isArray(address) || !address.every((a): a is string => typeof a === 'string')) {
    throw new DecodeError(`${where}.address: expected a list of strings`);
  }
  return { address };
}

/** `GET /auth/list`: users; a user without a login name (null) gets an empty username. */
export function decodeAuthList(data: JsonValue): { users: SupervisorAuthUser[] } {
  const list = decodeObject(data)['users'];
  if (!Array.isArray(list)) throw new DecodeError(`users: expected a list, got ${describe(list)}`);
  const users = list.map((item, index): SupervisorAuthUser => {
    const where = `users[${index}]`;
    if (!isJsonObject(item)) throw new DecodeError(`${where}: expected an object, got ${describe(item)}`);
    const username = item['username'];
    if (username !== null && typeof username !== 'string') throw new DecodeError(`${where}.username: expected a string`);
    const groups = item['group_ids'] ?? [];
    if (!Array.isArray(groups) || !groups.every((g): g is string => typeof g === 'string')) {
      throw new DecodeError(`${where}.group_ids: expected a list of strings`);
    }
    return {
      username: username ?? '',
      name: typeof item['name'] === 'string' ? item['name'] : '',
      is_owner: item['is_owner'] === true,
      is_active: item['is_active'] === true,
      local_only: item['local_only'] === true,
      group_ids: groups,
    };
  });
  return { users };
}

type FieldType = { string: string; boolean: boolean };

function field<K extends keyof FieldType>(object: JsonObject, name: string, type: K, where: string): FieldType[K] {
  const value = object[name];
  if (typeof value !== type) throw new DecodeError(`${where}.${name}: expected a ${type}, got ${describe(value)}`);
  return value as FieldType[K];
}

/** Short description of a value for decode messages (never the whole value). */
function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
