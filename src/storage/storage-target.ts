import type { RecoveryTarget } from '../targets/types';
import type { StorageFs } from './fs';
import { listUsers } from './list-users';
import { requireStorageDir } from './require-storage';
import { resetOnboarding } from './reset-onboarding';
import { resetPassword } from './reset-password';
import type { RunningCheck } from './running-guard';

/**
 * A recovery target acting on `.storage` through `fs` (a config folder or an ext4 partition).
 * `checkRunning` returns a reason when Home Assistant appears to run on it: writes then refuse unless forced.
 * `now` is injectable for tests (the onboarding backup folder is named after it).
 */
export function createStorageTarget(
  fs: StorageFs,
  description: string,
  checkRunning?: RunningCheck,
  now: () => Date = () => new Date(),
): RecoveryTarget {
  const context = (force: boolean) => (checkRunning === undefined ? { options: { force } } : { options: { force }, checkRunning });
  return {
    description,
    async listUsers() {
      await requireStorageDir(fs, description);
      return listUsers(fs);
    },
    async resetPassword(username, password, options) {
      await requireStorageDir(fs, description);
      return resetPassword(fs, username, password, context(options.force));
    },
    async resetOnboarding(options) {
      await requireStorageDir(fs, description);
      return resetOnboarding(fs, now(), context(options.force));
    },
  };
}
