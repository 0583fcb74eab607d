import { readStore, type StoreEnvelope } from './envelope';
import type { StorageFs } from './fs';
import { isJsonObject, jsonTypeName, type JsonObject } from './json-value';
import { invalidStoreError } from './store-errors';
import type { StoreSpec } from './store-spec';

/** The multi-factor modules whose enrolments live in `.storage` (homeassistant/auth/mfa_modules/). */
export const MFA_MODULES = ['totp', 'notify'] as const;
/** One of {@link MFA_MODULES}. */
export type MfaModule = (typeof MFA_MODULES)[number];

/**
 * `.storage/auth_module.totp` (mfa_modules/totp.py:25-26: STORAGE_VERSION 1, STORAGE_KEY; `_async_save` stores
 * `{"users": {user_id: ota_secret}}`) and `.storage/auth_module.notify` (mfa_modules/notify.py:38-39; `_async_save`
 * stores `{"users": {user_id: {"notify_service", "target"}}}`, the secret and counter are not persisted).
 * Both are private stores (`Store(..., private=True)`): mode 0600.
 */
export const MFA_STORES: Readonly<Record<MfaModule, StoreSpec>> = {
  totp: { key: 'auth_module.totp', majorVersions: [1], whenUnreadable: 'Home Assistant would forget every authenticator-app enrolment' },
  notify: { key: 'auth_module.notify', majorVersions: [1], whenUnreadable: 'Home Assistant would forget every notify-code enrolment' },
};

/** One module's store: the envelope as read and its `data.users` map (user id → enrolment), edited in place. */
export interface MfaStore {
  readonly module: MfaModule;
  readonly envelope: StoreEnvelope | undefined;
  /** `data.users`; empty (and detached) when the file is missing or empty. */
  readonly users: JsonObject;
}

/** Reads and checks one module's store: `data.users` is an object keyed by user id (Core: `data.get("users", {})`). */
export async function readMfaStore(fs: StorageFs, module: MfaModule): Promise<MfaStore> {
  const spec = MFA_STORES[module];
  const envelope = await readStore(fs, spec);
  if (envelope === undefined) return { module, envelope, users: new Map() };
  const users = envelope.data.get('users') ?? new Map();
  if (!isJsonObject(users)) throw invalidStoreError(spec, `data.users is ${jsonTypeName(users)}, not an object`);
  return { module, envelope, users };
}

/** Each module's store, in {@link MFA_MODULES} order. */
export async function readMfaStores(fs: StorageFs): Promise<MfaStore[]> {
  const stores: MfaStore[] = [];
  for (const module of MFA_MODULES) stores.push(await readMfaStore(fs, module));
  return stores;
}

/** The modules `userId` is enrolled in (Core's `async_is_user_setup`: the id is a key of `users`). */
export function enrolledModules(stores: readonly MfaStore[], userId: string): MfaModule[] {
  return stores.filter((store) => store.users.has(userId)).map((store) => store.module);
}
