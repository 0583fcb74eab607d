import { readStore, type StoreEnvelope } from './envelope';
import { isJsonArray, isJsonObject, jsonTypeName, type JsonObject } from './json-value';
import { invalidStoreError } from './store-errors';
import { AUTH_PROVIDER_STORE } from './store-spec';
import type { StorageFs } from './fs';

/** `.storage/auth_provider.homeassistant`: usernames and bcrypt hashes, checked. */
export interface ProviderStore {
  /** The file as read; `undefined` when it is missing or empty (no users). */
  readonly envelope: StoreEnvelope | undefined;
  /** The `data.users` entries, in file order (edited in place by {@link setProviderPassword}). */
  readonly entries: readonly JsonObject[];
  /** Their usernames, same order. */
  readonly usernames: readonly string[];
}

/** Checks the provider data: `users` is a list of `{username, password}` strings. */
export function parseProviderStore(envelope: StoreEnvelope | undefined): ProviderStore {
  if (envelope === undefined) return { envelope, entries: [], usernames: [] };
  const users = envelope.data.get('users');
  if (!isJsonArray(users)) throw invalidStoreError(AUTH_PROVIDER_STORE, `data.users is ${jsonTypeName(users)}, not a list`);
  const entries: JsonObject[] = [];
  users.forEach((user, i) => {
    if (!isJsonObject(user)) throw invalidStoreError(AUTH_PROVIDER_STORE, `data.users[${i}] is ${jsonTypeName(user)}`);
    for (const field of ['username', 'password']) {
      const value = user.get(field);
      if (typeof value !== 'string') {
        throw invalidStoreError(AUTH_PROVIDER_STORE, `data.users[${i}].${field} is ${jsonTypeName(value)}, not a string`);
      }
    }
    entries.push(user);
  });
  return { envelope, entries, usernames: entries.map((entry) => String(entry.get('username'))) };
}

/** Reads and checks the provider store. */
export async function readProviderStore(fs: StorageFs): Promise<ProviderStore> {
  return parseProviderStore(await readStore(fs, AUTH_PROVIDER_STORE));
}

/** Replaces the stored hash of the entries at `indexes` (keys and their order stay as they were). */
export function setProviderPassword(store: ProviderStore, indexes: readonly number[], storedHash: string): void {
  for (const i of indexes) store.entries[i]?.set('password', storedHash);
}
