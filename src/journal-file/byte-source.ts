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
}

/** A source over bytes in memory (tests, small files). */
export function bufferSource(bytes: Buffer): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}

/**
 * Size of one cached window: journal objects are small and written next to each other. Through ext2fs a
 * read costs per call far more than per byte (measured on a 68 MB file: 64 KiB reads 4.1 s, 1 MiB 2.3 s).
 */
const WINDOW_BYTES = 1024 * 1024;
/** Windows kept: enough for a backward walk that jumps between an entry, its data and its entry array. */
const WINDOWS_KEPT = 8;

/**
 * Caches aligned windows of a source, so the many small reads of a journal walk become few large ones
 * (each ext2fs read crosses into WASM). Reads larger than a window go straight through.
 */
export function windowedSource(source: ByteSource): WindowedSource {
  const windows = new Map<number, Promise<Buffer>>();
  const windowAt = (index: number): Promise<Buffer> => {
    let window = windows.get(index);
    if (window !== undefined) {
      windows.delete(index);
    } else {
      window = source.read(index * WINDOW_BYTES, WINDOW_BYTES);
      if (windows.size >= WINDOWS_KEPT) windows.delete(windows.keys().next().value as number);
    }
    windows.set(index, window);
    return window;
  };
  return {
    size: source.size,
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
