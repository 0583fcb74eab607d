import { randomUUID } from 'node:crypto';
import { HaError } from '../errors/ha-error';
import type { AddUserOutcome, NewUser, WriteOptions } from '../targets/types';
import { readAuthForEdit } from './auth-edit';
import { readProviderStore } from './auth-provider-store';
import type { StoreEnvelope } from './envelope';
import type { StorageFs } from './fs';
import type { JsonObject, JsonValue } from './json-value';
import { loginNames } from './find-login';
import { HOMEASSISTANT_PROVIDER_TYPE } from './list-users';
import { normalizeUsername, pythonStrip } from './normalize-username';
import { checkNewPassword, hashPassword } from './password-hash';
import { refuseIfRunning, type RunningCheck } from './running-guard';
import { AUTH_PROVIDER_STORE, AUTH_STORE, PRIVATE_FILE_MODE, storePath } from './store-spec';
import { writePrivateStore } from './store-write';

/** Extra inputs of {@link addUser}. */
export interface AddUserContext {
  readonly options?: WriteOptions;
  readonly checkRunning?: RunningCheck;
  /** New ids (default: uuid4 hex, as models.User and models.Credentials make them). */
  readonly newId?: () => string;
}

const uuid4Hex = (): string => randomUUID().replace(/-/g, '');

/** A JSON object with keys in the given order. */
const object = (entries: [string, JsonValue][]): JsonObject => new Map(entries);

/**
 * The name Core's provider stores (providers/homeassistant.py `add_auth`): `normalize_username`, i.e. strip() and
 * casefold(), unless the store is in legacy mode (some stored name is not normalized), where it stores it as given.
 */
export function storedLoginName(existing: readonly string[], wanted: string): string {
  const legacy = existing.some((name) => normalizeUsername(name) !== name);
  return legacy ? wanted : normalizeUsername(wanted);
}

/**
 * Creates a working login offline, as Core's UI does (config/auth `create`, then the homeassistant provider's
 * `add_auth` and a linked credential): a provider entry {username, bcrypt password}, a user in `.storage/auth`
 * (uuid4 hex id, group system-admin or system-users, active, not owner, not system-generated, not local-only; keys
 * in AuthStore._data_to_save's order) and the credential linking them. Refuses a name that matches an existing one
 * after strip()+casefold(). `auth` is written first (a credential without a password logs nobody in); if the
 * provider write fails, `auth` is put back.
 */
export async function addUser(fs: StorageFs, request: NewUser, context: AddUserContext = {}): Promise<AddUserOutcome> {
  checkNewPassword(request.password);
  const wanted = pythonStrip(request.username);
  if (wanted === '') throw new HaError('The login name is empty; nothing was changed', { hint: 'Give one with --username.' });
  const { envelope: authEnvelope, auth } = await readAuthForEdit(fs);
  const provider = await readProviderStore(fs);
  const taken = [...provider.usernames, ...loginNames(auth)].find((name) => normalizeUsername(name) === normalizeUsername(wanted));
  if (taken !== undefined) {
    throw new HaError(`The login name ${JSON.stringify(taken)} already exists; nothing was changed`, {
      hint: `Pick another name, or set a new password for it: auth reset --username ${JSON.stringify(taken)}`,
    });
  }
  await refuseIfRunning(context.checkRunning, context.options ?? { force: false });

  const username = storedLoginName(provider.usernames, wanted);
  const name = request.name !== undefined && pythonStrip(request.name) !== '' ? request.name : wanted;
  const newId = context.newId ?? uuid4Hex;
  const userId = newId();
  const users = authEnvelope.data.get('users');
  const credentials = authEnvelope.data.get('credentials');
  if (!Array.isArray(users) || !Array.isArray(credentials)) throw new HaError('.storage/auth changed shape; nothing was changed');
  users.push(object([['id', userId], ['group_ids', [request.admin ? 'system-admin' : 'system-users']], ['is_owner', false], ['is_active', true],
    ['name', name], ['system_generated', false], ['local_only', false]]));
  credentials.push(object([['id', newId()], ['user_id', userId], ['auth_provider_type', HOMEASSISTANT_PROVIDER_TYPE], ['auth_provider_id', null],
    ['data', object([['username', username]])]]));

  const providerEnvelope: StoreEnvelope = provider.envelope ?? { version: 1, minorVersion: 1, key: AUTH_PROVIDER_STORE.key, data: new Map([['users', []]]) };
  const providerUsers = providerEnvelope.data.get('users');
  if (!Array.isArray(providerUsers)) throw new HaError(`${storePath(AUTH_PROVIDER_STORE.key)} changed shape; nothing was changed`);
  providerUsers.push(object([['username', username], ['password', await hashPassword(request.password)]]));

  const authBefore = await writePrivateStore(fs, AUTH_STORE, authEnvelope);
  try {
    await writePrivateStore(fs, AUTH_PROVIDER_STORE, providerEnvelope);
  } catch (error) {
    if (authBefore !== undefined) await fs.writeFileAtomic(storePath(AUTH_STORE.key), authBefore, PRIVATE_FILE_MODE);
    throw new HaError(`Could not write ${storePath(AUTH_PROVIDER_STORE.key)}; .storage/auth was put back, nothing was changed`, {
      hint: 'Check the disk (fsck) and permissions, then try again.',
      cause: error,
    });
  }
  return { username, name, admin: request.admin };
}
