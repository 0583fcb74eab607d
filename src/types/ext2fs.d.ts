// Types for the parts of `ext2fs` (WASM libext2fs, untyped on npm) that the image target uses.
declare module 'ext2fs' {
  /** What ext2fs needs from a disk (file-disk's Disk fits). */
  export interface Ext2Disk {
    read(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<{ bytesRead: number; buffer: Buffer }>;
    write(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<{ bytesWritten: number; buffer: Buffer }>;
    discard(offset: number, length: number): Promise<void>;
    flush(): Promise<void>;
  }
  /** The subset of stats ext2fs fills in. */
  export interface Ext2Stats {
    /** Inode number. */
    readonly ino: number;
    readonly mode: number;
    readonly uid: number;
    readonly gid: number;
    readonly size: number;
    readonly nlink: number;
    readonly atime: Date;
    readonly mtime: Date;
    isFile(): boolean;
    isDirectory(): boolean;
    isSymbolicLink(): boolean;
  }
  /** An open file of ext2fs (its `close()` does not wait: close through `Ext2Promises.close(fd)`). */
  export interface Ext2FileHandle {
    readonly fd: number;
  }
  /** fs.promises-shaped API over the mounted filesystem (absolute POSIX paths). */
  export interface Ext2Promises {
    /** Decodes with `encoding` (default utf8; never returns a Buffer): use latin1 for the raw bytes. */
    readFile(path: string, options: { encoding: 'latin1' }): Promise<string>;
    writeFile(path: string, data: Buffer | string): Promise<void>;
    rename(from: string, to: string): Promise<void>;
    unlink(path: string): Promise<void>;
    mkdir(path: string, mode?: number): Promise<void>;
    rmdir(path: string): Promise<void>;
    readdir(path: string): Promise<string[]>;
    stat(path: string): Promise<Ext2Stats>;
    lstat(path: string): Promise<Ext2Stats>;
    chmod(path: string, mode: number): Promise<void>;
    chown(path: string, uid: number, gid: number): Promise<void>;
    /** Opens for ranged reads (`'r'`); large files are read in pieces with `read`, never whole. */
    open(path: string, flags: 'r'): Promise<Ext2FileHandle>;
    /** Reads `length` bytes at `position` into `buffer` at `offset`. */
    read(fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number; buffer: Buffer }>;
    fstat(fd: number): Promise<Ext2Stats>;
    close(fd: number): Promise<void>;
    readlink(path: string): Promise<string>;
  }
  /** A mounted filesystem. */
  export interface Ext2Fs {
    readonly promises: Ext2Promises;
  }
  /** Errors carry the POSIX code (`ENOENT`, ...). */
  export interface Ext2Error extends Error {
    readonly code?: string;
    readonly errno?: number;
  }
  export function mount(disk: Ext2Disk, offset?: number): Promise<Ext2Fs>;
  export function umount(fs: Ext2Fs): Promise<void>;
}
