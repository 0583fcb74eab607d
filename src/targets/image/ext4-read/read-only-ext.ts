import type { Ext2FileHandle, Ext2Promises, Ext2Stats } from 'ext2fs';
import { Ext4ReadError } from './errors';
import { Ext4Stats, type Ext4File, type Ext4Reader } from './reader';

// The reader shaped as ext2fs's promises API, for read-only sessions: the card readers, `.storage` access
// and `info` call the same methods whichever answers. Every change is refused with EROFS.

function refuse(what: string): () => Promise<never> {
  return () => Promise.reject(new Ext4ReadError('EROFS', `${what}: the card is open read-only`));
}

/** A read-only Ext2Promises over `reader`. */
export function readOnlyExt(reader: Ext4Reader): Ext2Promises {
  const files = new Map<number, Ext4File>();
  let nextFd = 3;
  const file = (fd: number): Ext4File => {
    const open = files.get(fd);
    if (open === undefined) throw new Ext4ReadError('EBADF', `file descriptor ${fd} is not open`);
    return open;
  };
  return {
    readFile: async (path, options) => (await reader.readFile(path)).toString(options.encoding),
    writeFile: refuse('write'),
    rename: refuse('rename'),
    unlink: refuse('unlink'),
    mkdir: refuse('mkdir'),
    rmdir: refuse('rmdir'),
    chmod: refuse('chmod'),
    chown: refuse('chown'),
    readdir: (path) => reader.readdir(path),
    stat: (path): Promise<Ext2Stats> => reader.stat(path),
    lstat: (path): Promise<Ext2Stats> => reader.lstat(path),
    readlink: (path) => reader.readlink(path),
    async open(path): Promise<Ext2FileHandle> {
      const opened = await reader.openFile(path);
      const fd = nextFd;
      nextFd += 1;
      files.set(fd, opened);
      return { fd };
    },
    async read(fd, buffer, offset, length, position) {
      const bytes = await file(fd).read(position, length);
      bytes.copy(buffer, offset);
      return { bytesRead: bytes.length, buffer };
    },
    fstat: async (fd) => new Ext4Stats(file(fd).inode),
    async close(fd) {
      files.delete(fd);
    },
  };
}
