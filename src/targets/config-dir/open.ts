import { promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import { HaError } from '../../errors/ha-error';
import { notConfigFolderError } from '../../storage/store-errors';
import { createStorageTarget } from '../../storage/storage-target';
import type { TargetScope } from '../types';
import { explainConfigFile } from './config-file-error';
import { createDirFs } from './dir-fs';
import { findRunningHass } from './find-running-hass';
import { withWriterLock } from './locked-target';

/** Options of {@link openConfigDirTarget}. */
export interface ConfigDirOptions {
  /** Says why Home Assistant seems to run on `dir` (default: scan /proc on Linux). */
  readonly isRunning?: (dir: string) => Promise<string | undefined>;
}

/**
 * Fails with a clear error unless `dir` is a Home Assistant config folder (a folder holding `.storage`);
 * a file gets a usage error saying --config wants a folder (and --image for a disk image). Only stats,
 * and reads the first 4 KiB of a file.
 */
export async function checkConfigFolder(dir: string): Promise<void> {
  const root = resolve(dir);
  const stat = await fsp.stat(root).catch(() => undefined);
  // The Go ha CLI's --config is a settings file; ours is a folder: say so, and spot a disk image.
  if (stat !== undefined && (stat.isFile() || stat.isBlockDevice())) throw await explainConfigFile(dir, root, stat);
  if (stat === undefined || !stat.isDirectory()) {
    throw new HaError(`${dir} does not exist or is not a folder`, {
      hint: 'Point at the folder that holds .storage, e.g. /config in the Core container or /mnt/data/supervisor/homeassistant on the host.',
    });
  }
  const storage = await fsp.stat(resolve(root, '.storage')).catch(() => undefined);
  if (storage === undefined || !storage.isDirectory()) throw notConfigFolderError(dir);
}

/**
 * Opens a Home Assistant config folder (`--config DIR`: the folder that holds `.storage`) as a
 * recovery target. Fails with a clear error when the folder or its `.storage` is missing.
 */
export function openConfigDirTarget(dir: string, options: ConfigDirOptions = {}): TargetScope {
  const root = resolve(dir);
  const isRunning = options.isRunning ?? findRunningHass;
  return async (fn) => {
    await checkConfigFolder(dir);
    const target = createStorageTarget(createDirFs(root), `config folder ${dir}`, () => isRunning(root));
    return fn(withWriterLock(target, root, `The config folder ${dir}`));
  };
}
