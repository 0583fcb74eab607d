import type { Ext2Stats } from 'ext2fs';
import { runSlices, type BlockRun } from '../journal/journal-inode';
import { blockRuns } from './block-map';
import { parseDirEntries, type DirEntry } from './directory';
import { Ext4ReadError } from './errors';
import { descriptorOffset, parseGeometry, type Ext4Geometry } from './geometry';
import { FLAG_ENCRYPT, FLAG_INLINE_DATA, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, inlineDataTail, inodePlace, parseInode, type Ext4Inode } from './inode';

// A read-only ext2/3/4 reader in TypeScript: superblock, group descriptors (32 and 64 bit, meta_bg), inode
// tables, extent trees and block maps, directories by a linear scan of their blocks (htree or not), symlinks
// (fast, slow, inline) and inline data. It reads through an injected byte source (the card under its
// journal replay), so it sees what the kernel would after a power cut. It writes nothing, ever.

/** Bytes of the filesystem: small metadata reads, and bulk reads of file data into a caller's buffer. */
export interface Ext4Io {
  read(offset: number, length: number): Promise<Buffer>;
  readInto(target: Buffer, targetOffset: number, length: number, offset: number): Promise<void>;
}

const ROOT_INODE = 2;
const MAX_SYMLINKS = 40;
const INODE_BLOCKS_KEPT = 4096;

/** Stats shaped as ext2fs's (and fs.Stats's) for the readers above. */
export class Ext4Stats implements Ext2Stats {
  readonly ino: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly nlink: number;
  readonly atime: Date;
  readonly mtime: Date;
  readonly ctime: Date;

  constructor(inode: Ext4Inode) {
    this.ino = inode.ino;
    this.mode = inode.mode;
    this.uid = inode.uid;
    this.gid = inode.gid;
    this.size = inode.size;
    this.nlink = inode.links;
    this.atime = new Date(inode.atimeMs);
    this.mtime = new Date(inode.mtimeMs);
    this.ctime = new Date(inode.ctimeMs);
  }

  isFile(): boolean {
    return (this.mode & S_IFMT) === S_IFREG;
  }

  isDirectory(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }

  isSymbolicLink(): boolean {
    return (this.mode & S_IFMT) === S_IFLNK;
  }
}

/** An open regular file: its size and ranged reads (holes and unwritten extents read as zeros). */
export interface Ext4File {
  readonly size: number;
  readonly inode: Ext4Inode;
  read(offset: number, length: number): Promise<Buffer>;
}

function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

export class Ext4Reader {
  private readonly inodeBlocks = new Map<number, Promise<Buffer>>();
  private readonly descriptors = new Map<number, Promise<Buffer>>();
  private readonly runsOf = new Map<number, Promise<BlockRun[]>>();
  private readonly entriesOf = new Map<number, Promise<DirEntry[]>>();
  private readonly indexOf = new Map<number, Map<string, DirEntry>>();

  private constructor(
    private readonly io: Ext4Io,
    readonly geometry: Ext4Geometry,
  ) {}

  /** Reads the superblock; throws Ext4UnsupportedError when this reader cannot read the filesystem. */
  static async open(io: Ext4Io): Promise<Ext4Reader> {
    return new Ext4Reader(io, parseGeometry(await io.read(1024, 1024)));
  }

  private descriptorBlock(offset: number): Promise<Buffer> {
    const bs = this.geometry.blockSize;
    const block = Math.floor(offset / bs);
    let bytes = this.descriptors.get(block);
    if (bytes === undefined) {
      bytes = this.io.read(block * bs, bs);
      this.descriptors.set(block, bytes);
    }
    return bytes;
  }

  private async inodeTable(group: number): Promise<number> {
    const geo = this.geometry;
    const offset = descriptorOffset(geo, group);
    const block = await this.descriptorBlock(offset);
    const at = offset % geo.blockSize;
    const low = block.readUInt32LE(at + 0x8);
    const high = geo.wide ? block.readUInt32LE(at + 0x28) : 0;
    const table = high * 2 ** 32 + low;
    if (table === 0) throw new Ext4ReadError('EIO', `block group ${group} has no inode table`);
    return table;
  }

  /** Inode `ino` (cached by inode-table block). */
  async inode(ino: number): Promise<Ext4Inode> {
    const geo = this.geometry;
    const { group, index } = inodePlace(geo, ino);
    const byteInTable = index * geo.inodeSize;
    const tableBlock = (await this.inodeTable(group)) + Math.floor(byteInTable / geo.blockSize);
    let block = this.inodeBlocks.get(tableBlock);
    if (block === undefined) {
      if (this.inodeBlocks.size >= INODE_BLOCKS_KEPT) this.inodeBlocks.clear();
      block = this.io.read(tableBlock * geo.blockSize, geo.blockSize);
      this.inodeBlocks.set(tableBlock, block);
    }
    const at = byteInTable % geo.blockSize;
    return parseInode(geo, ino, (await block).subarray(at, at + geo.inodeSize));
  }

  /** The block runs of an inode (cached). */
  runs(inode: Ext4Inode): Promise<BlockRun[]> {
    let runs = this.runsOf.get(inode.ino);
    if (runs === undefined) {
      runs = blockRuns((offset, length) => this.io.read(offset, length), this.geometry, inode);
      this.runsOf.set(inode.ino, runs);
      runs.catch(() => this.runsOf.delete(inode.ino));
    }
    return runs;
  }

  /** Bytes `offset..offset+length` of an inode's data (clipped to its size). */
  async data(inode: Ext4Inode, offset: number, length: number): Promise<Buffer> {
    if ((inode.flags & FLAG_ENCRYPT) !== 0) throw new Ext4ReadError('EOPNOTSUPP', `inode ${inode.ino} is encrypted`);
    const want = Math.max(0, Math.min(length, inode.size - offset));
    if ((inode.flags & FLAG_INLINE_DATA) !== 0) {
      const inline = Buffer.concat([inode.iBlock.subarray(0, Math.min(inode.size, 60)), inlineDataTail(this.geometry, inode)]);
      const out = Buffer.alloc(want);
      inline.copy(out, 0, offset, offset + want);
      return out;
    }
    if (want === 0) return Buffer.alloc(0);
    const out = Buffer.allocUnsafe(want); // every byte is read or zeroed below
    const reads: Promise<void>[] = [];
    let filled = 0; // bytes of `out` settled so far, in order (slices are sorted): holes before a slice are zeroed
    for (const slice of runSlices(await this.runs(inode), this.geometry.blockSize, offset, want)) {
      if (slice.outOffset > filled) out.fill(0, filled, slice.outOffset);
      reads.push(this.io.readInto(out, slice.outOffset, slice.length, slice.physicalByte));
      filled = slice.outOffset + slice.length;
    }
    if (filled < want) out.fill(0, filled, want); // holes and unwritten extents read as zeros
    await Promise.all(reads);
    return out;
  }

  /** The entries of a directory inode, in on-disk order ("." and ".." included). */
  entries(dir: Ext4Inode): Promise<DirEntry[]> {
    if ((dir.mode & S_IFMT) !== S_IFDIR) return Promise.reject(new Ext4ReadError('ENOTDIR', `inode ${dir.ino} is not a folder`));
    let entries = this.entriesOf.get(dir.ino);
    if (entries === undefined) {
      entries = this.readEntries(dir);
      this.entriesOf.set(dir.ino, entries);
      entries.catch(() => this.entriesOf.delete(dir.ino));
    }
    return entries;
  }

  private async readEntries(dir: Ext4Inode): Promise<DirEntry[]> {
    const geo = this.geometry;
    if ((dir.flags & FLAG_ENCRYPT) !== 0) throw new Ext4ReadError('EOPNOTSUPP', `folder inode ${dir.ino} is encrypted`);
    const out: DirEntry[] = [];
    if ((dir.flags & FLAG_INLINE_DATA) !== 0) {
      out.push({ name: '.', ino: dir.ino, type: 2 }, { name: '..', ino: dir.iBlock.readUInt32LE(0), type: 2 });
      const where = `folder inode ${dir.ino} (inline)`;
      parseDirEntries(dir.iBlock.subarray(4, 60), geo.blockSize, geo.filetype, where, out);
      const tail = inlineDataTail(geo, dir);
      if (tail.length > 0) parseDirEntries(tail, geo.blockSize, geo.filetype, where, out);
      return out;
    }
    const bs = geo.blockSize;
    const blocks = Math.ceil(dir.size / bs);
    const runs = (await this.runs(dir)).filter((run) => run.unwritten !== true && run.logical < blocks);
    const bytes = await Promise.all(runs.map((run) => this.io.read(run.physical * bs, Math.min(run.length, blocks - run.logical) * bs)));
    runs.forEach((run, r) => {
      const data = bytes[r] ?? Buffer.alloc(0);
      for (let i = 0; i * bs < data.length; i += 1) {
        parseDirEntries(data.subarray(i * bs, (i + 1) * bs), bs, geo.filetype, `folder inode ${dir.ino}, block ${run.logical + i}`, out);
      }
    });
    return out;
  }

  /** The entry `name` of a directory, or undefined. */
  async lookup(dir: Ext4Inode, name: string): Promise<DirEntry | undefined> {
    const entries = await this.entries(dir);
    let index = this.indexOf.get(dir.ino);
    if (index === undefined) {
      index = new Map();
      for (const entry of entries) if (!index.has(entry.name)) index.set(entry.name, entry);
      this.indexOf.set(dir.ino, index);
    }
    return index.get(name);
  }

  /** A symlink's target. */
  async linkTarget(link: Ext4Inode): Promise<string> {
    if ((link.mode & S_IFMT) !== S_IFLNK) throw new Ext4ReadError('EINVAL', `inode ${link.ino} is not a symlink`);
    // e2fsprogs' ext2fs_is_fast_symlink: a target shorter than i_block is kept in it.
    if ((link.flags & FLAG_INLINE_DATA) === 0 && link.size < 60) return link.iBlock.toString('utf8', 0, link.size);
    return (await this.data(link, 0, link.size)).toString('utf8');
  }

  /** The inode at absolute `path`; symlinks on the way are followed inside the filesystem (and the last one when `follow`). */
  async resolve(path: string, follow: boolean): Promise<Ext4Inode> {
    const root = await this.inode(ROOT_INODE);
    let current = root;
    let pending = components(path);
    let links = 0;
    while (pending.length > 0) {
      const name = pending[0] ?? '';
      pending = pending.slice(1);
      if ((current.mode & S_IFMT) !== S_IFDIR) throw new Ext4ReadError('ENOTDIR', `${path}: a part of the path is not a folder`);
      const entry = await this.lookup(current, name);
      if (entry === undefined) throw new Ext4ReadError('ENOENT', `${path}: no such file or folder`);
      const child = await this.inode(entry.ino);
      if ((child.mode & S_IFMT) === S_IFLNK && (pending.length > 0 || follow)) {
        links += 1;
        if (links > MAX_SYMLINKS) throw new Ext4ReadError('ELOOP', `${path}: too many levels of symlinks`);
        const target = await this.linkTarget(child);
        if (target === '') throw new Ext4ReadError('ENOENT', `${path}: an empty symlink`);
        if (target.startsWith('/')) current = root;
        pending = [...components(target), ...pending];
        continue;
      }
      current = child;
    }
    return current;
  }

  async stat(path: string): Promise<Ext4Stats> {
    return new Ext4Stats(await this.resolve(path, true));
  }

  async lstat(path: string): Promise<Ext4Stats> {
    return new Ext4Stats(await this.resolve(path, false));
  }

  async readdir(path: string): Promise<string[]> {
    return (await this.entries(await this.resolve(path, true))).map((entry) => entry.name);
  }

  async readlink(path: string): Promise<string> {
    return this.linkTarget(await this.resolve(path, false));
  }

  /** Opens a regular file (symlinks followed) for ranged reads. */
  async openFile(path: string): Promise<Ext4File> {
    const inode = await this.resolve(path, true);
    const type = inode.mode & S_IFMT;
    if (type === S_IFDIR) throw new Ext4ReadError('EISDIR', `${path} is a folder`);
    if (type !== S_IFREG) throw new Ext4ReadError('EINVAL', `${path} is not a regular file`);
    return { size: inode.size, inode, read: (offset, length) => this.data(inode, offset, length) };
  }

  /** A whole file. */
  async readFile(path: string): Promise<Buffer> {
    const file = await this.openFile(path);
    return file.read(0, file.size);
  }
}
