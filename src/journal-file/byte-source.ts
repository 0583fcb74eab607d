// Random access to the bytes of one file, the only thing the journal reader needs (a file on this machine,
// a file inside a card's ext4 through ext2fs, or a buffer in tests).

/** A read-only file: `read` returns fewer bytes than asked only at the end of the file. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

/** A windowed source: `read` caches whole windows; `peek` reads only the bytes asked unless a kept window holds them. */
export interface WindowedSource extends ByteSource {
  peek(offset: number, length: number): Promise<Buffer>;
  /** The bytes when one window already read holds them all (no waiting), else undefined. */
  cached(offset: number, length: number): Buffer | undefined;
}

/** A source over bytes in memory (tests, small files). */
export function bufferSource(bytes: Buffer): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}

/** A source whose reads are made one at a time, for a reader that cannot take overlapping reads (ext2fs). */
export function serializedSource(source: ByteSource): ByteSource {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    size: source.size,
    read(offset, length) {
      const next = queue.then(() => source.read(offset, length));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/**
 * Size of one cached window: journal objects are small and written next to each other. Reads no longer
 * walk whole files (entry arrays are read item by item, newest first), so a window is what one entry and
 * its neighbours need: with 1 MiB windows the newest entry of each of 7 files cost 7 MiB of reads for a
 * few KiB used (core logs -n 1000 on a 520 MB journal read 11 MB; 128 KiB windows: see the bench).
 */
const WINDOW_BYTES = 128 * 1024;
/** Windows kept: enough for a backward walk that jumps between entries, their data and entry arrays of several files. */
const WINDOWS_KEPT = 64;
/** Windows read ahead of a walk through neighbouring windows. */
const PREFETCH = 2;

/**
 * Caches aligned windows of a source, so the many small reads of a journal walk become few large ones
 * (each ext2fs read crosses into WASM). Reads larger than a window go straight through.
 */
export function windowedSource(source: ByteSource): WindowedSource {
  const windows = new Map<number, Promise<Buffer>>();
  const loaded = new Map<number, Buffer>();
  const load = (index: number): Promise<Buffer> => {
    const window = source.read(index * WINDOW_BYTES, WINDOW_BYTES);
    void window.then((bytes) => { if (windows.get(index) === window) loaded.set(index, bytes); }, () => undefined);
    if (windows.size >= WINDOWS_KEPT) {
      const oldest = windows.keys().next().value as number;
      windows.delete(oldest);
      loaded.delete(oldest);
    }
    windows.set(index, window);
    return window;
  };
  const windowAt = (index: number): Promise<Buffer> => {
    let window = windows.get(index);
    if (window !== undefined) {
      windows.delete(index);
      windows.set(index, window);
      return window;
    }
    window = load(index);
    // A walk through neighbouring windows (newest entries first, so usually downwards): read the next
    // ones while this one is parsed, so the walk does not wait for each read in turn.
    const step = windows.has(index + 1) ? -1 : windows.has(index - 1) ? 1 : 0;
    for (let k = 1; step !== 0 && k <= PREFETCH; k++) {
      const next = index + step * k;
      if (next >= 0 && next * WINDOW_BYTES < source.size && !windows.has(next)) load(next);
    }
    return window;
  };
  return {
    size: source.size,
    cached(offset, length) {
      const index = Math.floor(offset / WINDOW_BYTES);
      const window = loaded.get(index);
      const start = offset - index * WINDOW_BYTES;
      // Past a window's end means another window (or the file's end, which the async read reports).
      if (window === undefined || length <= 0 || start + length > WINDOW_BYTES || start + length > window.length) return undefined;
      return window.subarray(start, start + length);
    },
    // A lone small object far from what was read (an entry array's header, a hash chain link): one window
    // each would read megabytes for a few bytes.
    async peek(offset, length) {
      const first = Math.floor(offset / WINDOW_BYTES);
      if (length > 0 && first === Math.floor((offset + length - 1) / WINDOW_BYTES) && windows.has(first)) {
        const window = await windowAt(first);
        return window.subarray(offset - first * WINDOW_BYTES, offset - first * WINDOW_BYTES + length);
      }
      return source.read(offset, length);
    },
    async read(offset, length) {
      const first = Math.floor(offset / WINDOW_BYTES);
      const last = Math.floor((offset + length - 1) / WINDOW_BYTES);
      if (length <= 0) return Buffer.alloc(0);
      if (first === last) {
        const window = await windowAt(first);
        return window.subarray(offset - first * WINDOW_BYTES, offset - first * WINDOW_BYTES + length);
      }
      if (last === first + 1) {
        const [a, b] = await Promise.all([windowAt(first), windowAt(last)]);
        return Buffer.concat([a, b]).subarray(offset - first * WINDOW_BYTES, offset - first * WINDOW_BYTES + length);
      }
      return source.read(offset, length);
    },
  };
}
