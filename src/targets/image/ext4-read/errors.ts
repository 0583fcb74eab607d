// Errors of the read-only ext4 reader carry a POSIX code (`ENOENT`, `ENOTDIR`, ...) like ext2fs's errors, so
// the readers above it (which test `error.code`) do not care which of the two answered.

/** The POSIX codes the reader raises. */
export type Ext4ReadCode = 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'ELOOP' | 'EINVAL' | 'EIO' | 'EROFS' | 'EBADF' | 'EOPNOTSUPP';

/** A failed lookup or read; `EIO` means the filesystem's structures are damaged where they were read. */
export class Ext4ReadError extends Error {
  override readonly name = 'Ext4ReadError';

  constructor(
    readonly code: Ext4ReadCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The filesystem uses something this reader does not read (the session falls back to ext2fs). */
export class Ext4UnsupportedError extends Error {
  override readonly name = 'Ext4UnsupportedError';
}
