import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { HaError } from '../../errors/ha-error';
import type { Ext2Error, Ext2Fs, Ext2Promises } from 'ext2fs';
import type { StorageFs } from '../../storage/fs';
import { acquireWriteLock, type WriteLock } from '../write-lock';
import { BlockOverlay } from './block-overlay';
import { createExtStorageFs } from './ext-storage-fs';
import { ImageDisk, type IoCounters } from './image-disk';
import { imageLockPath } from './image-lock';
import type { ImageLayout, ImagePartition } from './layout';
import { loadExt2fs } from './load-ext2fs';
import { findKernelMount } from './mount-check';
import { checkWritable, locateDataPartition, repairCommand } from './preflight';
import { directoryDamage } from './dir-check';
import { attachDirectOpen, directOpener } from './direct-file';
import { SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_SIZE_BYTES } from './superblock';
import { probeImage } from './probe';
import { openPartitionJournal, type PartitionJournal } from './journal/partition-journal';
import { commitSession, type CommitOutcome } from './journal/commit-session';
import { carriedFeaturesView } from './journal/carried-features';
import { Ext4Reader, Ext4UnsupportedError, overlayIo, readOnlyExt } from './ext4-read';

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
  /** The journal: what a replay showed (transactions, blocks), or why there is none. */
  readonly journal: JournalView;
}

/** What the session knows about the data partition's journal, for `info` and notices. */
export interface JournalView {
  /** `none`: the filesystem has no journal (writes go in place between not-clean marks). */
  readonly kind: 'journal' | 'none';
  /** Transactions replayed in memory for this session (0 when the journal was empty). */
  readonly pendingTransactions: number;
  /** Filesystem blocks the pending transactions hold. */
  readonly pendingBlocks: number;
}

/** Options of a session. */
export interface ImageSessionOptions {
  /** The command changes the card: take the writer's lock and commit what it changed. */
  readonly write: boolean;
  /** Called after a write session with what was committed (tests and the benchmark). */
  readonly onCommit?: (outcome: CommitOutcome) => void;
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
  // A block device opened for writing is opened O_EXCL: Linux refuses it while it is mounted or held by
  // another exclusive opener (another ha, a partitioner), which is the device's writer lock.
  const flags = write ? (stats.isBlockDevice() ? constants.O_RDWR | constants.O_EXCL : constants.O_RDWR) : constants.O_RDONLY;
  try {
    return await open(path, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = stats.isBlockDevice() ? 'Run as a user that may write the device (e.g. with sudo).' : 'Check the file\'s permissions, or work on a copy.';
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new HaError(`No permission to ${write ? 'write' : 'read'} ${path} (${code})`, { hint, cause: error });
    }
    if (code === 'EBUSY') {
      throw new HaError(`${path} is in use (mounted, or opened by another program such as another ha); nothing was changed`, {
        hint: 'Unmount its partitions and close other programs using it, then try again.',
        cause: error,
      });
    }
    throw new HaError(`Cannot open ${path} (${code ?? String(error)})`, { cause: error });
  }
}

async function mountOverlay(overlay: BlockOverlay, partition: ImagePartition): Promise<Ext2Fs> {
  try {
    return await loadExt2fs().mount(overlay, partition.offsetBytes);
  } catch (error) {
    throw new HaError(`Cannot open the ext4 filesystem of the data partition (${(error as Ext2Error).code ?? String(error)})`, {
      hint: 'Check it with e2fsck.',
      cause: error,
    });
  }
}

/** The check run on each `.storage` folder before it is read: damaged blocks are refused, never read as empty. */
function folderChecker(overlay: BlockOverlay, ext: Ext2Promises, repair: string): (dir: string) => Promise<void> {
  return async (dir) => {
    const stats = await ext.stat(dir).catch(() => undefined);
    if (stats === undefined || !stats.isDirectory()) return;
    const sb = await overlay.readFs(SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_SIZE_BYTES);
    const damage = await directoryDamage((offset, length) => overlay.readFs(offset, length), sb, stats.ino);
    if (damage !== undefined) {
      throw new HaError(`The folder ${dir} on the card is damaged (${damage}); not reading it as empty, and nothing was changed`, {
        hint: `Copy the card first, then repair it: boot the device once, or on Linux ${repair}.`,
      });
    }
  };
}

/**
 * A read-only session without ext2fs: the TypeScript reader (ext4-read/) over the overlay, so nothing WASM is
 * loaded. Undefined when the reader does not read this filesystem (unknown features): ext2fs is used then.
 */
async function runReadOnly<T>(overlay: BlockOverlay, handle: FileHandle, counters: IoCounters, image: Omit<MountedImage, 'storage' | 'ext'>,
  repair: string, fn: (image: MountedImage) => Promise<T>): Promise<{ value: T } | undefined> {
  let reader: Ext4Reader;
  try {
    reader = await Ext4Reader.open(overlayIo(overlay, handle, counters));
  } catch (error) {
    if (error instanceof Ext4UnsupportedError) return undefined;
    throw error;
  }
  const ext = readOnlyExt(reader);
  attachDirectOpen(ext, async (path) => {
    const stats = await reader.stat(path).catch(() => undefined);
    if (stats?.isFile() !== true) return undefined; // ext.open raises what ext2fs would
    const file = await reader.openFile(path);
    return { size: file.size, read: (offset, length) => file.read(offset, length), close: async () => undefined };
  });
  const storage = createExtStorageFs(ext, { readOnly: true, checkFolder: folderChecker(overlay, ext, repair) });
  return { value: await fn({ ...image, storage, ext }) };
}

/** Runs `fn` on the mounted overlay; always unmounts. Returns fn's result and whether the storage changed. */
async function runMounted<T>(overlay: BlockOverlay, partition: ImagePartition, image: Omit<MountedImage, 'storage' | 'ext'>,
  options: { write: boolean; repair: string }, fn: (image: MountedImage) => Promise<T>): Promise<{ value: T; changed: boolean }> {
  const { write, repair } = options;
  const fs = await mountOverlay(overlay, partition);
  let changed = false;
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    const checkFolder = folderChecker(overlay, fs.promises, repair);
    const storage = createExtStorageFs(fs.promises, { readOnly: !write, onChange: () => { changed = true; }, checkFolder });
    if (!write) attachDirectOpen(fs.promises, directOpener(overlay, fs.promises));
    outcome = { ok: true, value: await fn({ ...image, storage, ext: fs.promises }) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  try {
    await loadExt2fs().umount(fs);
  } catch (error) {
    if (outcome.ok) throw new HaError('Closing the data partition failed; nothing was written to the card', { cause: error });
  }
  if (!outcome.ok) throw outcome.error;
  return { value: outcome.value, changed };
}

function journalView(journal: PartitionJournal): JournalView {
  if (journal.card === undefined) return { kind: 'none', pendingTransactions: 0, pendingBlocks: 0 };
  const plan = journal.plan;
  return {
    kind: 'journal',
    pendingTransactions: plan === undefined ? 0 : (plan.endTransaction - plan.firstTransaction) >>> 0,
    pendingBlocks: plan?.blocks.size ?? 0,
  };
}

/**
 * Opens the HAOS data partition of an image or device and runs `fn` on it: a read-only session through the
 * TypeScript reader (ext4-read/, no WASM), a write session (or a filesystem that reader refuses) through
 * ext2fs. Nothing ext2fs
 * does reaches the card during the session: its writes are kept in memory over the card (and over a
 * pending journal replay, so reads see what the kernel would after a power cut). A write session takes
 * the writer's lock first and, when `fn` succeeded and changed something, commits the change as one
 * journal transaction (or in place on a filesystem without a journal); a failed `fn` changes nothing.
 */
export async function withImage<T>(path: string, options: ImageSessionOptions, fn: (image: MountedImage) => Promise<T>): Promise<T> {
  const stats = await statImage(path);
  let lock: WriteLock | undefined;
  if (options.write && !stats.isBlockDevice() && !stats.isDirectory()) {
    lock = await acquireWriteLock(await imageLockPath(path, stats), path);
  }
  try {
    const handle = await openImage(path, stats, options.write);
    try {
      const disk = new ImageDisk(handle, !options.write);
      const capacityBytes = await disk.getCapacity();
      const layout = await probeImage(disk);
      const partition = locateDataPartition(path, await disk.readRaw(HEAD_BYTES, 0), layout, capacityBytes);
      const target = repairCommand(path, partition, stats.isBlockDevice());
      if (options.write) {
        const mounted = await findKernelMount(path, stats);
        if (mounted !== undefined) {
          throw new HaError(`${path} is mounted at ${mounted.mountPoint}; not writing to it behind the kernel's back`, {
            hint: `Unmount it first (umount ${mounted.mountPoint}), or use --config ${mounted.mountPoint}/supervisor/homeassistant.`,
          });
        }
        checkWritable(path, partition, stats.isBlockDevice());
      }
      const ext = partition.ext;
      if (ext === undefined) throw new Error('withImage: the data partition is not ext');
      const overlay = new BlockOverlay(disk, partition.offsetBytes, Math.min(ext.sizeBytes, partition.sizeBytes || ext.sizeBytes), ext.blockSizeBytes);
      const journal = await openPartitionJournal(overlay, target);
      for (const [block, data] of journal.replayLayer) overlay.replayed.set(block, data);
      overlay.superblockView = await carriedFeaturesView(overlay);
      const image = { layout, partition, capacityBytes, counters: disk.counters, journal: journalView(journal) };
      if (!options.write) {
        const read = await runReadOnly(overlay, handle, disk.counters, image, target, fn);
        if (read !== undefined) return read.value;
      }
      const { value, changed } = await runMounted(overlay, partition, image, { write: options.write, repair: target }, fn);
      if (options.write && changed) {
        if (lock !== undefined && !(await lock.stillHeld())) {
          throw new HaError(`${path} was taken over by another ha process while this one worked; nothing was changed`, { hint: 'Run the command again.' });
        }
        const outcome = await commitSession(overlay, disk, journal, target);
        options.onCommit?.(outcome);
      }
      return value;
    } finally {
      await handle.close();
    }
  } finally {
    await lock?.release();
  }
}
