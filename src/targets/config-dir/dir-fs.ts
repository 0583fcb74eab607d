import { randomBytes } from 'node:crypto';
import { promises as fsp, constants as fsc } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { HaError } from '../../errors/ha-error';
import type { StorageFs } from '../../storage/fs';
import { checkStoreFile } from '../../storage/store-file-checks';

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

// Expected I/O failures become one honest line; anything else stays a bug with its stack.
function explain(error: unknown, action: string, path: string): unknown {
  const code = errnoCode(error);
  const hints: Record<string, string> = {
    EACCES: 'Run it as root (sudo), or as the user that owns the config folder.',
    EPERM: 'Run it as root (sudo), or as the user that owns the config folder.',
    EROFS: 'The filesystem is mounted read-only: remount it read-write (or fsck it if the kernel made it read-only).',
    ENOSPC: 'The disk is full: free some space (old backups, logs) and try again.',
    EIO: 'The disk reports I/O errors: copy your data off it before anything else.',
  };
  const hint = code === undefined ? undefined : hints[code];
  if (hint === undefined) return error;
  return new HaError(`Cannot ${action} ${path} (${code}); nothing was changed`, { hint, cause: error });
}

async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fsp.open(dir, fsc.O_RDONLY);
    await handle.sync();
  } catch (error) {
    // Some platforms/filesystems cannot fsync a folder; the rename itself is still atomic there.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP'].includes(errnoCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `data` to `target` so a crash leaves the old or the new content: a uniquely named temp file
 * in the same folder (0600 until done), write, chown to the replaced file's owner when running as root,
 * chmod `mode`, fsync, rename over the target, fsync the folder. The temp file is removed on failure.
 */
export async function writeFileAtomicAt(target: string, data: Buffer, mode: number): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.ha-console-${process.pid}-${randomBytes(6).toString('hex')}`);
  const previous = await fsp.stat(target).catch(() => undefined);
  const handle = await fsp.open(temp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, 0o600);
  try {
    try {
      await handle.writeFile(data);
      if (previous !== undefined && process.getuid?.() === 0) await handle.chown(previous.uid, previous.gid);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, target);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}

/** A {@link StorageFs} over a real folder (the Home Assistant config folder `root`). */
export function createDirFs(root: string): StorageFs {
  const resolve = (path: string): string => {
    const normal = posix.normalize(path);
    if (posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) throw new Error(`path escapes the config folder: ${path}`);
    return join(root, ...normal.split('/'));
  };
  return {
    async readFile(path) {
      try {
        // Never open what is not a plain file of a sane size: a FIFO would hang, /dev/zero never ends.
        const stats = await fsp.lstat(resolve(path));
        checkStoreFile(path, stats.mode, stats.size);
        return await fsp.readFile(resolve(path));
      } catch (error) {
        if (['ENOENT', 'ENOTDIR'].includes(errnoCode(error) ?? '')) return undefined;
        throw explain(error, 'read', path);
      }
    },
    async writeFileAtomic(path, data, mode) {
      try {
        await writeFileAtomicAt(resolve(path), data, mode);
      } catch (error) {
        throw explain(error, 'write', path);
      }
    },
    async rename(from, to) {
      try {
        await fsp.rename(resolve(from), resolve(to));
        await fsyncDir(dirname(resolve(to)));
        await fsyncDir(dirname(resolve(from)));
      } catch (error) {
        throw explain(error, 'move', from);
      }
    },
    async mkdir(path, mode) {
      try {
        await fsp.mkdir(resolve(path), { mode });
      } catch (error) {
        throw explain(error, 'create', path);
      }
    },
    async exists(path) {
      return (await fsp.lstat(resolve(path)).catch(() => undefined)) !== undefined;
    },
    async readdir(path) {
      try {
        return await fsp.readdir(resolve(path));
      } catch (error) {
        if (['ENOENT', 'ENOTDIR'].includes(errnoCode(error) ?? '')) return undefined;
        throw explain(error, 'list', path);
      }
    },
  };
}
