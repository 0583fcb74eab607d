import type { Ext2Promises } from 'ext2fs';
import type { ByteSource } from '../journal-file/byte-source';
import { directOpenOf } from '../targets/image/direct-file';

// Files inside a card's ext4, read in ranges through ext2fs (never whole: journals reach hundreds of MB,
// backups GBs). ext2fs's createReadStream is avoided (its position handling assigns to a const).

/** An open file of the card: a ByteSource plus its close. */
export interface ExtFile extends ByteSource {
  /** Reads may overlap (the direct reader); ext2fs's are made one at a time. */
  readonly parallel?: boolean;
  close(): Promise<void>;
}

/** Opens `path` of the mounted filesystem for ranged reads. */
export async function openExtFile(ext: Ext2Promises, path: string): Promise<ExtFile> {
  // A read-only card session reads big ranges straight through its block map (much faster than ext2fs).
  const direct = await directOpenOf(ext)?.(path);
  if (direct !== undefined) return { ...direct, parallel: true };
  const { fd } = await ext.open(path, 'r');
  try {
    const { size } = await ext.fstat(fd);
    return {
      size,
      async read(offset, length) {
        const want = Math.max(0, Math.min(length, size - offset));
        const buffer = Buffer.alloc(want);
        let done = 0;
        while (done < want) {
          const { bytesRead } = await ext.read(fd, buffer, done, want - done, offset + done);
          if (bytesRead <= 0) break;
          done += bytesRead;
        }
        return done === want ? buffer : buffer.subarray(0, done);
      },
      close: () => ext.close(fd),
    };
  } catch (error) {
    await ext.close(fd);
    throw error;
  }
}
