import type { Ext2Promises } from 'ext2fs';
import type { BlockOverlay } from './block-overlay';
import { mapInode, runSlices, type BlockRun } from './journal/journal-inode';
import { SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_SIZE_BYTES } from './superblock';

// Large files of a card (journals of hundreds of MB, backups of GBs) read in big ranges straight through
// the block overlay (so a pending journal replay still applies), by the file's extent map, instead of
// block by block through ext2fs. Only for read-only sessions: there ext2fs holds no unwritten state.

/** An open file: its size and ranged reads. */
export interface DirectFile {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Opens a regular file for direct reads; undefined when it cannot be read this way (the caller uses ext2fs). */
export type DirectOpen = (path: string) => Promise<DirectFile | undefined>;

const DIRECT_OPEN = Symbol('ha-console.directOpen');

/** Gives `ext` a direct opener that the card readers pick up (see {@link directOpenOf}). */
export function attachDirectOpen(ext: Ext2Promises, open: DirectOpen): void {
  Object.defineProperty(ext, DIRECT_OPEN, { value: open, enumerable: false });
}

/** The direct opener attached to `ext`, if any. */
export function directOpenOf(ext: Ext2Promises): DirectOpen | undefined {
  return (ext as unknown as Record<symbol, DirectOpen | undefined>)[DIRECT_OPEN];
}

function readRange(overlay: BlockOverlay, runs: readonly BlockRun[], size: number, offset: number, length: number): Promise<Buffer> {
  const want = Math.max(0, Math.min(length, size - offset));
  const out = Buffer.alloc(want); // holes and unwritten extents read as zeros
  const reads = runSlices(runs, overlay.blockSize, offset, want).map((slice) =>
    overlay.readFs(slice.physicalByte, slice.length).then((bytes) => { bytes.copy(out, slice.outOffset); }));
  return Promise.all(reads).then(() => out);
}

/** The direct opener of a read-only session over `overlay` and its mounted filesystem. */
export function directOpener(overlay: BlockOverlay, ext: Ext2Promises): DirectOpen {
  return async (path) => {
    const stats = await ext.stat(path);
    if (!stats.isFile()) return undefined;
    const sb = await overlay.readFs(SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_SIZE_BYTES);
    let runs: BlockRun[];
    try {
      ({ runs } = await mapInode((offset, length) => overlay.readFs(offset, length), sb, stats.ino));
    } catch {
      return undefined; // inline data or an unusual map: ext2fs reads it
    }
    const size = stats.size;
    return { size, read: (offset, length) => readRange(overlay, runs, size, offset, length), close: async () => undefined };
  };
}
