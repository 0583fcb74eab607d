import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockOverlay } from '../../src/targets/image/block-overlay';
import { Ext4Reader, overlayIo, type Ext4ReadError } from '../../src/targets/image/ext4-read';
import { S_IFDIR, S_IFMT } from '../../src/targets/image/ext4-read/inode';
import { ImageDisk } from '../../src/targets/image/image-disk';
import { openPartitionJournal } from '../../src/targets/image/journal/partition-journal';
import { parseSuperblock } from '../../src/targets/image/superblock';
import { addFragmentedFile, debugfsListings, journalTheChange, makeSourceTree, makeTreeImage } from '../helpers/ext4-tree-fixture';

// The read-only ext4 reader judged by e2fsprogs on real mkfs.ext4 images: every folder's entries (inode, mode,
// owner, size, on-disk order) equal `debugfs ls -p`, every file's bytes equal the source tree mkfs copied (or
// `debugfs dump` for the fragmented file), symlinks resolve as the kernel resolves them, times carry their
// nanoseconds; on 4 KiB and 1 KiB blocks, 64bit on and off, ext3 block maps, meta_bg, no filetype, inline data.
// A card with a committed, unreplayed journal transaction reads as e2fsck's replay leaves it.

const BIG_FOLDER = 12_000;
const TIMEOUT = 300_000;
const SMALL_FOLDER = 500;
let work = '';
const sources = { big: '', small: '' };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ext4-read-'));
  sources.big = join(work, 'src-big');
  makeSourceTree(sources.big, { bigFolderEntries: BIG_FOLDER, sparseDataBlocks: 3000, blockSize: 1024 });
  sources.small = join(work, 'src-small');
  makeSourceTree(sources.small, { bigFolderEntries: SMALL_FOLDER, sparseDataBlocks: 3000, blockSize: 1024 });
}, TIMEOUT);
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function openReader(image: string): Promise<{ reader: Ext4Reader; pending: number; close: () => Promise<void> }> {
  const handle = await open(image, 'r');
  const disk = new ImageDisk(handle, true);
  const sb = parseSuperblock(readFileSync(image).subarray(1024, 2048));
  if (sb === undefined) throw new Error('no superblock');
  const overlay = new BlockOverlay(disk, 0, sb.sizeBytes, sb.blockSizeBytes);
  const journal = await openPartitionJournal(overlay, image);
  for (const [block, data] of journal.replayLayer) overlay.replayed.set(block, data);
  const reader = await Ext4Reader.open(overlayIo(overlay, handle, disk.counters));
  return { reader, pending: journal.replayLayer.size, close: () => handle.close() };
}

/** Our reader's listing of every folder, in debugfs ls -p's shape. */
async function ourListings(reader: Ext4Reader): Promise<Map<string, Array<{ ino: number; mode: number; uid: number; gid: number; name: string; size: string }>>> {
  const out = new Map<string, Array<{ ino: number; mode: number; uid: number; gid: number; name: string; size: string }>>();
  const walk = async (path: string): Promise<void> => {
    const rows = [];
    const children: string[] = [];
    for (const entry of await reader.entries(await reader.resolve(path, false))) {
      const inode = await reader.inode(entry.ino);
      const isDir = (inode.mode & S_IFMT) === S_IFDIR;
      rows.push({ ino: entry.ino, mode: inode.mode, uid: inode.uid, gid: inode.gid, name: entry.name, size: isDir ? '' : String(inode.size) });
      if (isDir && entry.name !== '.' && entry.name !== '..') children.push(`${path === '/' ? '' : path}/${entry.name}`);
    }
    out.set(path, rows);
    for (const child of children) await walk(child);
  };
  await walk('/');
  return out;
}

function sha(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function sourceFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const local = join(dir, name);
    const stats = lstatSync(local);
    if (stats.isDirectory()) files.push(...sourceFiles(local, `${prefix}/${name}`));
    else if (stats.isFile()) files.push(`${prefix}/${name}`);
  }
  return files;
}

/** A time field of `debugfs stat` (`mtime: 0xSECONDS:EXTRA`) in ms: signed seconds, epoch bits, nanoseconds. */
function debugfsTimeMs(text: string, field: string): number {
  const [, seconds = '0', extra = '0'] = new RegExp(`(?:^|\\s)${field}: 0x([0-9a-f]+)(?::([0-9a-f]+))?`, 'm').exec(text) ?? [];
  const extraBits = Number.parseInt(extra, 16);
  return (Number.parseInt(seconds, 16) | 0) * 1000 + (extraBits & 3) * 2 ** 32 * 1000 + Math.floor((extraBits >>> 2) / 1e6);
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as Ext4ReadError).code;
  }
}

// 128-byte inodes (no nanoseconds, no epoch bits) where mke2fs.conf's "small" type gives them.
const CONFIGS = [
  { name: '4 KiB blocks, 64bit, metadata_csum, 12,000-entry folder', tree: 'big', entries: BIG_FOLDER, blockSize: 4096, sizeMiB: 256, mkfsArgs: ['-I', '256', '-O', '64bit,metadata_csum'] },
  { name: '1 KiB blocks, 32-bit, 12,000-entry folder', tree: 'big', entries: BIG_FOLDER, blockSize: 1024, sizeMiB: 200, mkfsArgs: ['-I', '256', '-O', '^64bit'] },
  { name: 'ext3 block maps (no extents), 1 KiB blocks, 128-byte inodes', tree: 'small', entries: SMALL_FOLDER, blockSize: 1024, sizeMiB: 200, mkfsArgs: ['-t', 'ext3', '-I', '128'] },
  { name: 'meta_bg, 1 KiB blocks, small groups', tree: 'small', entries: SMALL_FOLDER, blockSize: 1024, sizeMiB: 200, mkfsArgs: ['-I', '256', '-O', 'meta_bg,^resize_inode,^64bit', '-g', '2048'] },
  { name: 'no filetype in entries, 4 KiB', tree: 'small', entries: SMALL_FOLDER, blockSize: 4096, sizeMiB: 256, mkfsArgs: ['-I', '256', '-O', '^filetype'] },
  { name: 'inline data, 4 KiB', tree: 'small', entries: SMALL_FOLDER, blockSize: 4096, sizeMiB: 256, mkfsArgs: ['-I', '256', '-O', 'inline_data'] },
] as const;

/** mtime_extra given to /owned: nanoseconds 123456789 and epoch 1 (seconds + 2^32, past 2106). */
const OWNED_MTIME_EXTRA = (123_456_789 * 4) + 1;

describe.each(CONFIGS)('$name', ({ tree, entries, blockSize, sizeMiB, mkfsArgs }) => {
  let image = '';
  let source = '';
  let fragment: Buffer = Buffer.alloc(0);
  beforeAll(() => {
    source = sources[tree];
    image = join(work, `img-${Math.random().toString(36).slice(2)}.img`);
    makeTreeImage(image, source, { blockSize, sizeMiB, mkfsArgs: [...mkfsArgs] });
    fragment = addFragmentedFile(image, work, blockSize, 600);
    if (!(mkfsArgs as readonly string[]).includes('128')) execFileSync('debugfs', ['-w', '-R', `sif /owned mtime_extra ${OWNED_MTIME_EXTRA}`, image], { stdio: 'ignore' });
  }, TIMEOUT);

  it('lists every folder as debugfs ls -p does (htree folder of 12,000 entries included)', async () => {
    const { reader, close } = await openReader(image);
    try {
      const ours = await ourListings(reader);
      const theirs = debugfsListings(image, [...ours.keys()]);
      expect(ours.size).toBeGreaterThan(10);
      expect(ours.get('/big')?.length).toBe(entries + 2);
      // debugfs also prints a block's empty entry (inode 0) where the kernel's readdir shows nothing.
      for (const [dir, rows] of ours) expect(rows, dir).toEqual(theirs.get(dir)?.filter((row) => row.ino !== 0));
      if (!(mkfsArgs as readonly string[]).includes('inline_data')) {
        const flags = /Flags: 0x([0-9a-f]+)/.exec(execFileSync('debugfs', ['-R', 'stat /big', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1] ?? '0';
        expect(Number.parseInt(flags, 16) & 0x1000).toBe(0x1000); // an htree (indexed) folder
      }
    } finally {
      await close();
    }
  }, TIMEOUT);

  it('reads every file as the source tree holds it, and the fragmented one as debugfs dumps it', async () => {
    const { reader, close } = await openReader(image);
    try {
      const files = sourceFiles(source);
      expect(files.length).toBeGreaterThan(entries);
      for (const path of files) {
        const ours = await reader.readFile(path);
        const expected = readFileSync(join(source, path));
        if (!ours.equals(expected)) expect(`${path}: ${sha(ours)}`).toBe(`${path}: ${sha(expected)}`);
      }
      const frag = await reader.openFile('/frag/big.bin');
      expect((await reader.runs(frag.inode)).length).toBeGreaterThan(100); // really fragmented
      const dumped = join(work, 'dumped.bin');
      execFileSync('debugfs', ['-R', `dump /frag/big.bin ${dumped}`, image], { stdio: 'ignore' });
      expect(sha(await frag.read(0, frag.size))).toBe(sha(readFileSync(dumped)));
      expect(sha(await frag.read(0, frag.size))).toBe(sha(fragment));
      // A range across extent boundaries, not block aligned.
      expect((await frag.read(blockSize * 7 + 13, blockSize * 50)).equals(fragment.subarray(blockSize * 7 + 13, blockSize * 57 + 13))).toBe(true);
      rmSync(dumped);
    } finally {
      await close();
    }
  }, TIMEOUT);

  it('resolves symlinks as the kernel does, and reads their targets (fast and slow)', async () => {
    const { reader, close } = await openReader(image);
    try {
      for (const link of ['fast-link', 'slow-link', 'abs-link', 'dir-link', 'chain-link', 'dangling', 'loop-a', 'deep/a/up']) {
        expect(await reader.readlink(`/${link}`)).toBe(readlinkSync(join(source, link)));
        expect((await reader.lstat(`/${link}`)).isSymbolicLink()).toBe(true);
      }
      expect((await reader.stat('/chain-link')).ino).toBe((await reader.lstat('/deep/a/b/c')).ino);
      expect((await reader.stat('/abs-link/b/c/d/e/leaf.txt')).ino).toBe((await reader.lstat('/deep/a/b/c/d/e/leaf.txt')).ino);
      expect((await reader.stat('/deep/a/up/sizes/s1')).ino).toBe((await reader.lstat('/sizes/s1')).ino);
      expect((await reader.readFile('/fast-link')).equals(readFileSync(join(source, 'sizes', 's59')))).toBe(true);
      expect(await code(reader.stat('/loop-a'))).toBe('ELOOP');
      expect(await code(reader.stat('/dangling'))).toBe('ENOENT');
      expect(await code(reader.stat('/sizes/s1/below'))).toBe('ENOTDIR');
      expect(await code(reader.readFile('/deep'))).toBe('EISDIR');
      expect(await code(reader.readlink('/sizes/s1'))).toBe('EINVAL');
      expect(await code(reader.stat('/no/such'))).toBe('ENOENT');
    } finally {
      await close();
    }
  }, TIMEOUT);

  it('keeps modes, owners (32-bit ids) and times with their nanoseconds, as debugfs stat shows them', async () => {
    const { reader, close } = await openReader(image);
    try {
      for (const name of ['owned', 'secret', 'setuid', 'with space', 'wörter €.txt']) {
        const ours = await reader.lstat(`/${name}`);
        const local = statSync(join(source, name));
        expect([ours.mode, ours.uid, ours.gid, ours.size]).toEqual([local.mode, local.uid, local.gid, local.size]);
        const text = execFileSync('debugfs', ['-R', `stat "/${name}"`, image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        expect([ours.atime.getTime(), ours.mtime.getTime()], name).toEqual([debugfsTimeMs(text, 'atime'), debugfsTimeMs(text, 'mtime')]);
      }
      const owned = (await reader.lstat('/owned')).mtime.getTime();
      if (reader.geometry.inodeSize > 128) expect(owned).toBe(Date.parse('2031-02-03T04:05:06.000Z') + 2 ** 32 * 1000 + 123);
      else expect(owned).toBe(Date.parse('2031-02-03T04:05:06.000Z'));
    } finally {
      await close();
    }
  }, TIMEOUT);
});

describe('a card with a committed transaction not yet replayed', () => {
  it('reads as e2fsck -fy leaves it after its replay, and the image stays byte-identical', async () => {
    const before = join(work, 'before.img');
    makeTreeImage(before, sources.small, { blockSize: 4096, sizeMiB: 256, mkfsArgs: ['-O', 'metadata_csum'] });
    const after = join(work, 'after.img');
    copyFileSync(before, after);
    const payload = join(work, 'payload.bin');
    execFileSync('sh', ['-c', `head -c 30000 /dev/urandom > ${payload}`]);
    execFileSync('debugfs', ['-w', '-f', '-', after], {
      input: ['mkdir /new', ...Array.from({ length: 40 }, (_, i) => `write ${payload} /new/file-${i}`), 'rm /big/entry-00007-nnnnnnn', 'symlink /new/link /sizes/s1',
        'rm "/with space"', 'mkdir /big/sub'].join('\n'),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const journaled = journalTheChange(before, after, 4096, work, [0]);
    expect(journaled.length).toBeGreaterThan(20);
    const sealed = sha(readFileSync(before));
    const judged = join(work, 'judged.img');
    copyFileSync(before, judged);
    const fsck = execFileSync('sh', ['-c', `e2fsck -fy "${judged}" 2>&1; true`], { encoding: 'utf8' });
    expect(fsck).toMatch(/recovering journal/);
    const { reader, pending, close } = await openReader(before);
    try {
      // The replay layer also holds what recovery itself writes (superblocks).
      expect(pending).toBeGreaterThanOrEqual(journaled.length);
      const ours = await ourListings(reader);
      const theirs = debugfsListings(judged, [...ours.keys()]);
      expect(ours.get('/new')?.length).toBe(43); // ., .., 40 files and the symlink
      for (const [dir, rows] of ours) expect(rows, dir).toEqual(theirs.get(dir)?.filter((row) => row.ino !== 0));
      expect(sha(await reader.readFile('/new/file-39'))).toBe(sha(readFileSync(payload)));
      expect(await reader.readlink('/new/link')).toBe('/sizes/s1');
      expect(await code(reader.stat('/with space'))).toBe('ENOENT');
    } finally {
      await close();
    }
    expect(sha(readFileSync(before))).toBe(sealed);
  }, TIMEOUT);
});
