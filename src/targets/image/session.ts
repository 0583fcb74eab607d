import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { HaError } from '../../errors/ha-error';
import type { Ext2Error, Ext2Promises } from 'ext2fs';
import type { StorageFs } from '../../storage/fs';
import { createExtStorageFs } from './ext-storage-fs';
import { ImageDisk, type IoCounters } from './image-disk';
import type { ImageLayout, ImagePartition } from './layout';
import { loadExt2fs } from './load-ext2fs';
import { findKernelMount } from './mount-check';
import { checkWritable, fsckTarget, locateDataPartition } from './preflight';
import { probeImage } from './probe';
import { SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_SIZE_BYTES, withCleanState } from './superblock';

/** What a session hands to its callback. */
export interface MountedImage {
  /** `.storage` access rooted at `supervisor/homeassistant`. */
  readonly storage: StorageFs;
  /** The raw mounted filesystem (absolute paths), for `info`. */
  readonly ext: Ext2Promises;
  readonly layout: ImageLayout;
  readonly partition: ImagePartition;
  readonly capacityBytes: number;
  /** Bytes read and written so far. */
  readonly counters: IoCounters;
}

const HEAD_BYTES = 4096;

async function statImage(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new HaError(`No such image or device: ${path}`, { cause: error });
    throw new HaError(`Cannot open ${path} (${code ?? String(error)})`, { cause: error });
  }
}

async function openImage(path: string, stats: Stats, write: boolean): Promise<FileHandle> {
  if (stats.isDirectory()) {
    throw new HaError(`${path} is a folder, not a disk image`, { hint: `For a Home Assistant config folder use --config ${path}.` });
  }
  if (write && stats.isFile() && (stats.mode & 0o222) === 0) {
    throw new HaError(`${path} is read-only; not changing it`, { hint: `Make it writable first (chmod u+w ${path}), or work on a copy.` });
  }
  try {
    return await open(path, write ? 'r+' : 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = stats.isBlockDevice() ? 'Run as a user that may write the device (e.g. with sudo).' : 'Check the file\'s permissions, or work on a copy.';
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new HaError(`No permission to ${write ? 'write' : 'read'} ${path} (${code})`, { hint, cause: error });
    }
    throw new HaError(`Cannot open ${path} (${code ?? String(error)})`, { cause: error });
  }
}

async function setClean(disk: ImageDisk, partition: ImagePartition, clean: boolean): Promise<void> {
  const at = partition.offsetBytes + SUPERBLOCK_OFFSET_BYTES;
  const current = await disk.readRaw(SUPERBLOCK_SIZE_BYTES, at);
  const updated = withCleanState(current, clean);
  if (!updated.equals(current)) await disk.writeRaw(updated, at);
}

/**
 * Opens the HAOS data partition of an image or device, checks it, mounts it with ext2fs and runs `fn`;
 * always unmounts. For a write the superblock is marked not clean before mounting and clean again after
 * a successful unmount, so an interrupted write is seen by the next open and by the device's fsck.
 */
export async function withImage<T>(path: string, options: { write: boolean }, fn: (image: MountedImage) => Promise<T>): Promise<T> {
  const stats = await statImage(path);
  const handle = await openImage(path, stats, options.write);
  try {
    const disk = new ImageDisk(handle, !options.write);
    const capacityBytes = await disk.getCapacity();
    const layout = await probeImage(disk);
    const partition = locateDataPartition(path, await disk.readRaw(HEAD_BYTES, 0), layout, capacityBytes);
    if (options.write) {
      const mounted = await findKernelMount(path, stats);
      if (mounted !== undefined) {
        throw new HaError(`${path} is mounted at ${mounted.mountPoint}; not writing to it behind the kernel's back`, {
          hint: `Unmount it first (umount ${mounted.mountPoint}), or use --config ${mounted.mountPoint}/supervisor/homeassistant.`,
        });
      }
      checkWritable(path, partition, stats.isBlockDevice());
      await setClean(disk, partition, false);
    }
    const ext2fs = loadExt2fs();
    let fs: Awaited<ReturnType<typeof ext2fs.mount>>;
    try {
      fs = await ext2fs.mount(disk, partition.offsetBytes);
    } catch (error) {
      if (options.write) await setClean(disk, partition, true);
      throw new HaError(`Cannot open the ext4 filesystem of the data partition (${(error as Ext2Error).code ?? String(error)})`, {
        hint: 'Check it with e2fsck.',
        cause: error,
      });
    }
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      const storage = createExtStorageFs(fs.promises, { readOnly: !options.write });
      outcome = { ok: true, value: await fn({ storage, ext: fs.promises, layout, partition, capacityBytes, counters: disk.counters }) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    try {
      await ext2fs.umount(fs);
    } catch (error) {
      throw new HaError('Closing the data partition failed; it is marked as not cleanly unmounted', {
        hint: `Repair it with "e2fsck -fy ${fsckTarget(path, partition, stats.isBlockDevice())}" before using it.`,
        cause: outcome.ok ? error : outcome.error,
      });
    }
    if (options.write) await setClean(disk, partition, true);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  } finally {
    await handle.close();
  }
}
