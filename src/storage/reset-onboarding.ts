import { HaError } from '../errors/ha-error';
import type { OnboardingResetOutcome, WriteOptions } from '../targets/types';
import type { StorageFs } from './fs';
import { refuseIfRunning, type RunningCheck } from './running-guard';
import { BACKUP_DIR_MODE, ONBOARDING_RESET_KEYS, STORAGE_DIR, storePath } from './store-spec';

/** Prefix of the backup folders in `.storage`, followed by the UTC time `YYYYMMDD-HHMMSS`. */
export const ONBOARDING_BACKUP_PREFIX = 'backup-onboarding-';

/** Extra inputs of {@link resetOnboarding}. */
export interface ResetOnboardingContext {
  readonly options?: WriteOptions;
  readonly checkRunning?: RunningCheck;
}

/** `.storage/backup-onboarding-YYYYMMDD-HHMMSS` for `now` (UTC). */
export function onboardingBackupDir(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${STORAGE_DIR}/${ONBOARDING_BACKUP_PREFIX}${stamp}`;
}

async function freeBackupDir(fs: StorageFs, now: Date): Promise<string> {
  const base = onboardingBackupDir(now);
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    if (!(await fs.exists(dir))) return dir;
  }
}

/**
 * The documented last resort: moves `auth`, `auth_provider.homeassistant`, `onboarding`, `hassio` and
 * `cloud` from `.storage` into a new dated backup folder inside `.storage` (so it can be undone by
 * moving them back); Core then starts onboarding again. Moves nothing and creates no folder when none
 * exists (`moved` empty, `backupDir` ''). On a failed move, files already moved are moved back.
 */
export async function resetOnboarding(fs: StorageFs, now: Date, context: ResetOnboardingContext = {}): Promise<OnboardingResetOutcome> {
  const present: string[] = [];
  for (const key of ONBOARDING_RESET_KEYS) if (await fs.exists(storePath(key))) present.push(key);
  if (present.length === 0) return { backupDir: '', moved: [] };
  await refuseIfRunning(context.checkRunning, context.options ?? { force: false });

  const backupDir = await freeBackupDir(fs, now);
  await fs.mkdir(backupDir, BACKUP_DIR_MODE);
  const moved: string[] = [];
  try {
    for (const key of present) {
      await fs.rename(storePath(key), `${backupDir}/${key}`);
      moved.push(key);
    }
  } catch (error) {
    const stuck: string[] = [];
    for (const key of [...moved].reverse()) {
      try {
        await fs.rename(`${backupDir}/${key}`, storePath(key));
      } catch {
        stuck.push(key);
      }
    }
    const state =
      stuck.length === 0
        ? 'the files already moved were put back; nothing was changed'
        : `${stuck.join(', ')} stayed in ${backupDir}`;
    throw new HaError(`Could not move ${storePath(present[moved.length] ?? '')} into ${backupDir}: ${state}`, {
      hint: stuck.length === 0 ? 'Check the disk (fsck) and permissions, then try again.' : `Move them back into ${STORAGE_DIR} by hand, or run the command again to finish.`,
      cause: error,
    });
  }
  return { backupDir, moved };
}
