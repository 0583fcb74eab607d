import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync, writeSync, chmodSync, chownSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

// Filesystems for judging the read-only ext4 reader against e2fsprogs: a source tree with what makes a reader
// go wrong (an htree folder of >10,000 entries, a file with thousands of extents, holes, every symlink kind,
// non-ASCII names, odd modes and owners, nanosecond times), put into an image by mkfs.ext4 -d, its folders
// indexed by e2fsck -D, and a fragmented file written by debugfs into the gaps of deleted files.

/** Writes the source tree under `root`. */
export function makeSourceTree(root: string, options: { bigFolderEntries: number; sparseDataBlocks: number; blockSize: number }): void {
  mkdirSync(join(root, 'big'), { recursive: true });
  for (let i = 0; i < options.bigFolderEntries; i += 1) writeFileSync(join(root, 'big', `entry-${String(i).padStart(5, '0')}-${'n'.repeat(i % 40)}`), `${i}\n`);
  mkdirSync(join(root, 'deep', 'a', 'b', 'c', 'd', 'e'), { recursive: true });
  writeFileSync(join(root, 'deep', 'a', 'b', 'c', 'd', 'e', 'leaf.txt'), 'deep leaf\n');
  mkdirSync(join(root, 'sizes'));
  for (const size of [0, 1, 59, 60, 61, 1023, 1024, 1025, 4095, 4096, 4097, 65537, 1_000_003]) {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i += 1) bytes[i] = (i * 7 + size) & 0xff;
    writeFileSync(join(root, 'sizes', `s${size}`), bytes);
  }
  // Data in every other block: one extent per data block (a deep extent tree on 1 KiB blocks).
  const sparse = openSync(join(root, 'sparse.bin'), 'w');
  for (let i = 0; i < options.sparseDataBlocks; i += 1) writeSync(sparse, Buffer.alloc(options.blockSize, (i % 251) + 1), 0, options.blockSize, 2 * i * options.blockSize);
  closeSync(sparse);
  // A big hole, then a little data far out (triple indirect on an ext3 block map with 1 KiB blocks).
  const far = openSync(join(root, 'far.bin'), 'w');
  writeSync(far, Buffer.from('far away\n'), 0, 9, 70 * 1024 * 1024);
  closeSync(far);
  writeFileSync(join(root, 'wörter €.txt'), 'unicode name\n');
  writeFileSync(join(root, 'with space'), 'space\n');
  writeFileSync(join(root, 'secret'), 'mode 0600\n');
  chmodSync(join(root, 'secret'), 0o600);
  writeFileSync(join(root, 'setuid'), '#!/bin/sh\n');
  chmodSync(join(root, 'setuid'), 0o4755);
  writeFileSync(join(root, 'owned'), 'uid 1000\n');
  chownSync(join(root, 'owned'), 1000, 70000);
  utimesSync(join(root, 'owned'), new Date('2001-02-03T04:05:06.789Z'), new Date('2031-02-03T04:05:06.123Z'));
  symlinkSync('sizes/s59', join(root, 'fast-link'));
  symlinkSync(`${'long/'.repeat(30)}target`, join(root, 'slow-link'));
  symlinkSync('/deep/a', join(root, 'abs-link'));
  symlinkSync('deep/a/b', join(root, 'dir-link'));
  symlinkSync('dir-link/c', join(root, 'chain-link'));
  symlinkSync('nowhere', join(root, 'dangling'));
  symlinkSync('loop-b', join(root, 'loop-a'));
  symlinkSync('loop-a', join(root, 'loop-b'));
  symlinkSync('../../..', join(root, 'deep', 'a', 'up'));
  mkdirSync(join(root, 'empty'));
}

/** mkfs.ext4 -d SOURCE with `features`/`blockSize`, then e2fsck -fyD (htree indexes for big folders). */
export function makeTreeImage(image: string, source: string, options: { blockSize: number; sizeMiB: number; mkfsArgs?: readonly string[] }): void {
  execFileSync('mkfs.ext4', ['-q', '-F', '-b', String(options.blockSize), ...(options.mkfsArgs ?? []), '-d', source, image, `${options.sizeMiB}M`], { stdio: 'pipe' });
  execFileSync('sh', ['-c', `e2fsck -fyD "${image}" >/dev/null 2>&1; test $? -le 1`]);
}

/** Writes a fragmented file `/frag/big.bin` (blocks taken from the gaps of deleted files) with debugfs; returns its bytes. */
export function addFragmentedFile(image: string, work: string, blockSize: number, pieces: number): Buffer {
  const one = join(work, 'one-block.bin');
  writeFileSync(one, Buffer.alloc(blockSize, 0x5a));
  const requests = ['mkdir /frag'];
  for (let i = 0; i < pieces * 2; i += 1) requests.push(`write ${one} /frag/f${i}`);
  for (let i = 0; i < pieces * 2; i += 2) requests.push(`rm /frag/f${i}`);
  const content = Buffer.alloc(pieces * blockSize);
  for (let i = 0; i < content.length; i += 1) content[i] = (i * 31 + (i >> 10)) & 0xff;
  const big = join(work, 'frag-src.bin');
  writeFileSync(big, content);
  requests.push(`write ${big} /frag/big.bin`);
  execFileSync('debugfs', ['-w', '-f', '-', image], { input: `${requests.join('\n')}\n`, stdio: ['pipe', 'ignore', 'ignore'] });
  return content;
}

/** One `debugfs ls -p` row. */
export interface DebugfsRow {
  readonly ino: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
  /** Empty for folders. */
  readonly size: string;
}

/** `ls -p` of every folder in `dirs` (one debugfs process), keyed by folder. */
export function debugfsListings(image: string, dirs: readonly string[]): Map<string, DebugfsRow[]> {
  const out = execFileSync('debugfs', ['-f', '-', image], { input: `${dirs.map((d) => `ls -p "${d}"`).join('\n')}\n`, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'ignore'] });
  const listings = new Map<string, DebugfsRow[]>();
  let current: DebugfsRow[] | undefined;
  for (const line of out.split('\n')) {
    const command = /^debugfs: ls -p "(.*)"$/.exec(line);
    if (command !== null) {
      current = [];
      listings.set(command[1] ?? '', current);
      continue;
    }
    const row = /^\/(\d+)\/(\d+)\/(\d+)\/(\d+)\/(.*)\/(\d*)\/$/.exec(line);
    if (row !== null && current !== undefined) {
      current.push({ ino: Number(row[1]), mode: Number.parseInt(row[2] ?? '', 8), uid: Number(row[3]), gid: Number(row[4]), name: row[5] ?? '', size: row[6] ?? '' });
    }
  }
  return listings;
}

/** Blocks of `after` that differ from `before` (same size images), as block numbers. */
export function changedBlocks(before: string, after: string, blockSize: number): number[] {
  const a = readFileSync(before);
  const b = readFileSync(after);
  const changed: number[] = [];
  for (let block = 0; block * blockSize < a.length; block += 1) {
    if (!a.subarray(block * blockSize, (block + 1) * blockSize).equals(b.subarray(block * blockSize, (block + 1) * blockSize))) changed.push(block);
  }
  return changed;
}

/**
 * Puts the difference between `before` and `after` into `before`'s journal as one committed transaction
 * (debugfs jo/jw/jc, e2fsprogs' own journal writer), leaving `before` with needs_recovery: what a card
 * pulled after the commit and before the write-back holds. `skip` blocks (the superblock's) stay out.
 */
export function journalTheChange(before: string, after: string, blockSize: number, work: string, skip: readonly number[]): number[] {
  const blocks = changedBlocks(before, after, blockSize).filter((b) => !skip.includes(b));
  const b = readFileSync(after);
  const data = join(work, `pending-${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(data, Buffer.concat(blocks.map((n) => b.subarray(n * blockSize, (n + 1) * blockSize))));
  execFileSync('debugfs', ['-w', '-f', '-', before], { input: `jo -c\njw -b ${blocks.join(',')} ${data}\njc\n`, stdio: ['pipe', 'ignore', 'ignore'] });
  return blocks;
}
