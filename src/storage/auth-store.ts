import { readStore, type StoreEnvelope } from './envelope';
import { isJsonArray, isJsonObject, jsonTypeName, type JsonObject, type JsonValue } from './json-value';
import { invalidStoreError } from './store-errors';
import { AUTH_STORE } from './store-spec';
import type { StorageFs } from './fs';

/** A user from `.storage/auth` (homeassistant/auth/auth_store.py). */
export interface AuthUser {
  readonly id: string;
  readonly name: string | null;
  readonly isOwner: boolean;
  readonly isActive: boolean;
  readonly systemGenerated: boolean;
  readonly localOnly: boolean;
  readonly groupIds: readonly string[];
}

/** A credential: links a user to a login of an auth provider. */
export interface AuthCredential {
  readonly id: string;
  readonly userId: string;
  readonly providerType: string;
  /** `data.username` for the homeassistant provider. */
  readonly username: string | undefined;
}

/** The parts of `.storage/auth` the tasks use; `exists` is false when the file is missing or empty. */
export interface AuthStore {
  readonly exists: boolean;
  readonly users: readonly AuthUser[];
  readonly credentials: readonly AuthCredential[];
}

function list(data: JsonObject, field: string): JsonObject[] {
  const value = data.get(field);
  if (!isJsonArray(value)) throw invalidStoreError(AUTH_STORE, `data.${field} is ${jsonTypeName(value)}, not a list`);
  return value.map((item, i) => {
    if (!isJsonObject(item)) throw invalidStoreError(AUTH_STORE, `data.${field}[${i}] is ${jsonTypeName(item)}`);
    return item;
  });
}

function field<T extends JsonValue | undefined>(where: string, value: JsonValue | undefined, ok: (v: JsonValue | undefined) => v is T, want: string): T {
  if (!ok(value)) throw invalidStoreError(AUTH_STORE, `${where} is ${jsonTypeName(value)}, not ${want}`);
  return value;
}

const isString = (v: JsonValue | undefined): v is string => typeof v === 'string';
const isBool = (v: JsonValue | undefined): v is boolean => typeof v === 'boolean';
const isStringOrNull = (v: JsonValue | undefined): v is string | null => v === null || typeof v === 'string';

function parseUser(user: JsonObject, i: number): AuthUser {
  const at = `data.users[${i}]`;
  const groups = user.get('group_ids') ?? [];
  if (!isJsonArray(groups) || !groups.every(isString)) throw invalidStoreError(AUTH_STORE, `${at}.group_ids is not a list of strings`);
  return {
    id: field(`${at}.id`, user.get('id'), isString, 'a string'),
    name: field(`${at}.name`, user.get('name'), isStringOrNull, 'a string'),
    isOwner: field(`${at}.is_owner`, user.get('is_owner'), isBool, 'true/false'),
    isActive: field(`${at}.is_active`, user.get('is_active'), isBool, 'true/false'),
    systemGenerated: field(`${at}.system_generated`, user.get('system_generated'), isBool, 'true/false'),
    localOnly: field(`${at}.local_only`, user.get('local_only') ?? false, isBool, 'true/false'),
    groupIds: groups,
  };
}

function parseCredential(credential: JsonObject, i: number): AuthCredential {
  const at = `data.credentials[${i}]`;
  const data = credential.get('data');
  const username = isJsonObject(data) ? data.get('username') : undefined;
  return {
    id: field(`${at}.id`, credential.get('id'), isString, 'a string'),
    userId: field(`${at}.user_id`, credential.get('user_id'), isString, 'a string'),
    providerType: field(`${at}.auth_provider_type`, credential.get('auth_provider_type'), isString, 'a string'),
    username: typeof username === 'string' ? username : undefined,
  };
}

/** Reads and checks `.storage/auth` (users and credentials; other sections are left alone). */
export async function readAuthStore(fs: StorageFs): Promise<AuthStore> {
  return parseAuthStore(await readStore(fs, AUTH_STORE));
}

/** Checks a decoded `.storage/auth` (`undefined`: missing or empty, no users). */
export function parseAuthStore(envelope: StoreEnvelope | undefined): AuthStore {
  if (envelope === undefined) return { exists: false, users: [], credentials: [] };
  const users = list(envelope.data, 'users').map(parseUser);
  const credentials = list(envelope.data, 'credentials').map(parseCredential);
  const ids = new Set(users.map((u) => u.id));
  const orphan = credentials.find((c) => !ids.has(c.userId));
  if (orphan !== undefined) throw invalidStoreError(AUTH_STORE, `credential ${orphan.id} points at missing user ${orphan.userId}`);
  return { exists: true, users, credentials };
}
