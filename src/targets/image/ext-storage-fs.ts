import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { Ext2Error, Ext2Promises } from 'ext2fs';
import { HaError } from '../../errors/ha-error';
import type { StorageFs } from '../../storage/fs';
import { checkStoreFile } from '../../storage/store-file-checks';
import { leftoverTemps } from '../../storage/temp-files';

/** Where Home Assistant's config folder is on a HAOS data partition. */
export const HA_CONFIG_ROOT = '/supervisor/homeassistant';

function code(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as Ext2Error).code : undefined;
}

/** Absolute path inside the filesystem for a config-relative path; refuses escapes (`..`, absolute). */
export function resolveInside(root: string, path: string): string {
  if (path === '' || path.startsWith('/') || path.split('/').includes('..')) {
    throw new Error(`storage path must be relative and stay inside the config folder: ${JSON.stringify(path)}`);
  }
  return posix.join(root, path);
}

/** Options of the adapter. */
export interface ExtStorageFsOptions {
  /** Refuse every change (the image was opened for reading). */
  readonly readOnly: boolean;
  /** Folder the relative paths start from (default HA_CONFIG_ROOT). */
  readonly root?: string;
  /** Called before every change (the session commits only when something changed). */
  readonly onChange?: () => void;
  /** Throws when a folder's blocks are damaged (so it is never taken for an empty folder); once per folder. */
  readonly checkFolder?: (absolutePath: string) => Promise<void>;
}

/**
 * StorageFs over an ext4 filesystem mounted by ext2fs: paths relative to `supervisor/homeassistant`.
 * Atomic replace = temp file in the same folder + rename; mode and owner are set after writing
 * (ext2fs ignores the `mode` option), keeping the replaced file's owner (root on a device).
 */
export function createExtStorageFs(fs: Ext2Promises, options: ExtStorageFsOptions): StorageFs {
  const root = options.root ?? HA_CONFIG_ROOT;
  const full = (path: string): string => resolveInside(root, path);
  const refuseIfReadOnly = (what: string): void => {
    if (options.readOnly) throw new HaError(`Cannot ${what}: the image was opened read-only`);
    options.onChange?.();
  };
  const owner = async (path: string): Promise<{ uid: number; gid: number } | undefined> => {
    try {
      const stats = await fs.stat(path);
      return { uid: stats.uid, gid: stats.gid };
    } catch (error) {
      if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return undefined;
      throw error;
    }
  };
  const checked = new Map<string, Promise<void>>();
  const checkFolder = async (dir: string): Promise<void> => {
    if (options.checkFolder === undefined) return;
    let pending = checked.get(dir);
    if (pending === undefined) {
      pending = options.checkFolder(dir);
      checked.set(dir, pending);
    }
    await pending;
  };
  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof HaError) throw error;
      const errno = code(error);
      if (errno === 'ENOSPC') throw new HaError(`Cannot ${what}: the data partition is full`, { cause: error });
      if (errno === undefined) throw error;
      throw new HaError(`Cannot ${what} inside the image (${errno})`, { cause: error });
    }
  };

  const exists = async (path: string): Promise<boolean> => {
    await checkFolder(posix.dirname(full(path)));
    return (await owner(full(path))) !== undefined;
  };

  return {
    async readFile(path) {
      const target = full(path);
      await checkFolder(posix.dirname(target));
      try {
        const stats = await fs.lstat(target);
        checkStoreFile(path, stats.mode, stats.size);
        // ext2fs's readFile always decodes: latin1 maps each byte to one char and back, losslessly.
        return Buffer.from(await fs.readFile(target, { encoding: 'latin1' }), 'latin1');
      } catch (error) {
        if (code(error) === 'ENOENT') return undefined;
        return wrap(`read ${path}`, () => Promise.reject(error));
      }
    },
    async writeFileAtomic(path, data, mode) {
      refuseIfReadOnly(`write ${path}`);
      const target = full(path);
      const dir = posix.dirname(target);
      await checkFolder(dir);
      // An interrupted earlier write (no journal, or an older version) may have left temporary files:
      // nothing runs on an unmounted card, so every one is a leftover, removed within this change.
      for (const name of leftoverTemps(await fs.readdir(dir).catch(() => [] as string[]), () => false)) {
        await fs.unlink(posix.join(dir, name)).catch(() => undefined);
      }
      const temp = posix.join(dir, `.${posix.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
      await wrap(`write ${path}`, async () => {
        const ids = (await owner(target)) ?? (await owner(dir)) ?? { uid: 0, gid: 0 };
        try {
          await fs.writeFile(temp, Buffer.isBuffer(data) ? data : Buffer.from(data));
          await fs.chmod(temp, mode);
          await fs.chown(temp, ids.uid, ids.gid);
          await fs.rename(temp, target);
        } catch (error) {
          await fs.unlink(temp).catch(() => undefined);
          throw error;
        }
      });
    },
    async rename(from, to) {
      refuseIfReadOnly(`move ${from}`);
      await checkFolder(posix.dirname(full(from)));
      await checkFolder(posix.dirname(full(to)));
      await wrap(`move ${from} to ${to}`, () => fs.rename(full(from), full(to)));
    },
    async mkdir(path, mode) {
      refuseIfReadOnly(`create ${path}`);
      const target = full(path);
      await wrap(`create folder ${path}`, async () => {
        const ids = (await owner(posix.dirname(target))) ?? { uid: 0, gid: 0 };
        await fs.mkdir(target, mode);
        await fs.chmod(target, mode);
        await fs.chown(target, ids.uid, ids.gid);
      });
    },
    exists,
    async readdir(path) {
      try {
        if (await exists(path)) await checkFolder(full(path));
        return await fs.readdir(full(path));
      } catch (error) {
        if (code(error) === 'ENOENT') return undefined;
        return wrap(`list ${path}`, () => Promise.reject(error));
      }
    },
  };
}
