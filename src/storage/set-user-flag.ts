import type { UserFlag, UserFlagOutcome, WriteOptions } from '../targets/types';
import { readAuthForEdit, userEntry } from './auth-edit';
import { findLogin } from './find-login';
import type { StorageFs } from './fs';
import { refuseIfRunning, type RunningCheck } from './running-guard';
import { AUTH_STORE } from './store-spec';
import { writePrivateStore } from './store-write';

/** Extra inputs of {@link setUserFlag}. */
export interface SetUserFlagContext {
  readonly options?: WriteOptions;
  readonly checkRunning?: RunningCheck;
}

/**
 * Sets `is_active` or `local_only` of one user in `.storage/auth` (the fields AuthStore._data_to_save writes per
 * user, homeassistant/auth/auth_store.py): activating an account someone deactivated, or letting a local-only
 * account log in from outside the home network. Only that user's field changes; a user already so is not written.
 */
export async function setUserFlag(fs: StorageFs, username: string, flag: UserFlag, value: boolean, context: SetUserFlagContext = {}): Promise<UserFlagOutcome> {
  const { envelope, auth } = await readAuthForEdit(fs);
  const login = findLogin(auth, username);
  const current = flag === 'is_active' ? login.user.isActive : login.user.localOnly;
  if (current === value) return { username: login.username, flag, value, changed: false };
  await refuseIfRunning(context.checkRunning, context.options ?? { force: false });
  userEntry(envelope, login.user.id).set(flag, value);
  await writePrivateStore(fs, AUTH_STORE, envelope);
  return { username: login.username, flag, value, changed: true };
}
