import { HaError } from '../errors/ha-error';
import type { MfaResetOutcome, WriteOptions } from '../targets/types';
import { readAuthStore } from './auth-store';
import { findLogin } from './find-login';
import type { StorageFs } from './fs';
import { MFA_MODULES, MFA_STORES, readMfaStore, type MfaModule, type MfaStore } from './mfa-store';
import { refuseIfRunning, type RunningCheck } from './running-guard';
import { storePath } from './store-spec';
import { writePrivateStore } from './store-write';

/** Extra inputs of {@link resetMfa}. */
export interface ResetMfaContext {
  readonly options?: WriteOptions;
  readonly checkRunning?: RunningCheck;
}

function isModule(name: string): name is MfaModule {
  return (MFA_MODULES as readonly string[]).includes(name);
}

/**
 * Removes `username`'s enrolment from the given modules' stores, as Core's `async_depose_user` does
 * (totp.py, notify.py: pop the user id from `users`, save): the user then logs in with the password alone
 * and can enrol again from their profile. Only that user's key goes; every other entry keeps its bytes.
 * A module the user is not enrolled in is left untouched; with nothing to remove nothing is written.
 */
export async function resetMfa(fs: StorageFs, username: string, modules: readonly string[], context: ResetMfaContext = {}): Promise<MfaResetOutcome> {
  const unknown = modules.find((m) => !isModule(m));
  if (unknown !== undefined) throw new HaError(`Unknown multi-factor module ${JSON.stringify(unknown)}; nothing was changed`, { hint: `Modules: ${MFA_MODULES.join(', ')}.` });
  const login = findLogin(await readAuthStore(fs), username);
  const enrolled: MfaStore[] = [];
  for (const module of modules.filter(isModule)) {
    const store = await readMfaStore(fs, module);
    if (store.envelope !== undefined && store.users.has(login.user.id)) enrolled.push(store);
  }
  if (enrolled.length === 0) return { username: login.username, removed: [] };
  await refuseIfRunning(context.checkRunning, context.options ?? { force: false });

  const removed: string[] = [];
  for (const store of enrolled) {
    store.users.delete(login.user.id);
    try {
      if (store.envelope !== undefined) await writePrivateStore(fs, MFA_STORES[store.module], store.envelope);
    } catch (error) {
      const done = removed.length > 0 ? `; ${removed.join(', ')} was already removed` : '; nothing was changed';
      throw new HaError(`Could not write ${storePath(MFA_STORES[store.module].key)}${done}`, { hint: 'Check the disk (fsck) and permissions, then run the command again.', cause: error });
    }
    removed.push(store.module);
  }
  return { username: login.username, removed };
}
