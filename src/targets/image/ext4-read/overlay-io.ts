import type { FileHandle } from 'node:fs/promises';
import type { BlockOverlay } from '../block-overlay';
import type { IoCounters } from '../image-disk';
import type { Ext4Io } from './reader';

// The reader's bytes: the data partition as the session sees it (the card under a pending journal replay).
// Metadata goes through the overlay; file data is read straight from the image into the caller's buffer
// (one pread per extent, no intermediate copy), then the few blocks the replay changes are laid over it.

/** Reads of the filesystem through `overlay`, file data straight from `handle`. */
export function overlayIo(overlay: BlockOverlay, handle: FileHandle, counters: IoCounters): Ext4Io {
  const bs = overlay.blockSize;
  const layer = (block: number): Buffer | undefined => overlay.captured.get(block) ?? overlay.replayed.get(block);
  const layOver = (target: Buffer, targetOffset: number, length: number, offset: number, block: number): void => {
    const data = layer(block);
    if (data === undefined) return;
    const start = Math.max(offset, block * bs);
    const end = Math.min(offset + length, (block + 1) * bs);
    if (start < end) data.copy(target, targetOffset + (start - offset), start - block * bs, end - block * bs);
  };
  return {
    read: (offset, length) => overlay.readFs(offset, length),
    async readInto(target, targetOffset, length, offset) {
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(target, targetOffset + done, length - done, overlay.partitionOffset + offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      counters.bytesRead += done;
      if (done < length) target.fill(0, targetOffset + done, targetOffset + length);
      const layered = overlay.captured.size + overlay.replayed.size;
      if (layered === 0) return;
      const first = Math.floor(offset / bs);
      const last = Math.floor((offset + length - 1) / bs);
      if (last - first + 1 <= layered) {
        for (let block = first; block <= last; block += 1) layOver(target, targetOffset, length, offset, block);
      } else {
        const blocks = new Set([...overlay.replayed.keys(), ...overlay.captured.keys()]);
        for (const block of blocks) if (block >= first && block <= last) layOver(target, targetOffset, length, offset, block);
      }
    },
  };
}
