import { HaError } from '../errors/ha-error';
import { parseAuthStore, type AuthStore } from './auth-store';
import { readStore, type StoreEnvelope } from './envelope';
import type { StorageFs } from './fs';
import { isJsonArray, isJsonObject, type JsonObject } from './json-value';
import { AUTH_STORE } from './store-spec';

/** `.storage/auth` read for a change: the envelope (edited in place, then written) and its checked view. */
export interface AuthForEdit {
  readonly envelope: StoreEnvelope;
  readonly auth: AuthStore;
}

/** Reads and checks `.storage/auth` for a change; refuses when it is missing or empty (nobody to change). */
export async function readAuthForEdit(fs: StorageFs): Promise<AuthForEdit> {
  const envelope = await readStore(fs, AUTH_STORE);
  const auth = parseAuthStore(envelope);
  if (envelope === undefined) {
    throw new HaError('.storage/auth is missing or empty: Home Assistant has no users yet; nothing was changed', {
      hint: 'Open Home Assistant in a browser: onboarding creates the owner.',
    });
  }
  return { envelope, auth };
}

/** The list `data.<field>` of the auth store (checked by parseAuthStore before). */
export function authList(envelope: StoreEnvelope, field: 'users' | 'credentials'): JsonObject[] {
  const value = envelope.data.get(field);
  return isJsonArray(value) ? value.filter(isJsonObject) : [];
}

/** The `data.users` entry with id `userId`. */
export function userEntry(envelope: StoreEnvelope, userId: string): JsonObject {
  const entry = authList(envelope, 'users').find((user) => user.get('id') === userId);
  if (entry === undefined) throw new HaError(`User ${userId} vanished from .storage/auth; nothing was changed`);
  return entry;
}
