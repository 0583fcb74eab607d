import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { BlockOverlay } from '../../src/targets/image/block-overlay';
import { ImageDisk } from '../../src/targets/image/image-disk';
import { openPartitionJournal, type PartitionJournal } from '../../src/targets/image/journal/partition-journal';
import { parseSuperblock } from '../../src/targets/image/superblock';

// Bare ext4 data filesystems (no partition table) for the journal tests, made by mke2fs, with journals
// written by e2fsprogs' own journal code (debugfs jo/jw/jc) or by the kernel; judged by e2fsck.

const ROOT = join(__dirname, '..', '..');

/** Known test passwords (fixtures, not secrets). */
export const FIXTURE_USERS = [
  { username: 'alice', password: 'alice-test-password' },
  { username: 'bob', password: 'bob-test-password' },
];

/** Options of {@link makeDataFs}. */
export interface DataFsOptions {
  readonly blockSize?: 1024 | 4096;
  readonly sizeMiB?: number;
  readonly journalMiB?: number;
  /** Extra `-O` features (default: as a current mke2fs makes the HAOS data partition). */
  readonly features?: string;
  readonly users?: readonly { username: string; password: string }[];
}

/** An ext4 filesystem labelled hassos-data holding `supervisor/homeassistant/.storage` (owner root). */
export function makeDataFs(path: string, work: string, options: DataFsOptions = {}): string {
  const tree = join(work, `tree-${Math.random().toString(36).slice(2)}`);
  const config = join(tree, 'supervisor', 'homeassistant');
  mkdirSync(config, { recursive: true });
  mkdirSync(join(tree, 'logs'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'make-test-image-storage.mjs'), config], {
    input: JSON.stringify({ cost: 4, users: options.users ?? FIXTURE_USERS }),
  });
  const args = ['-q', '-F', '-L', 'hassos-data', '-b', String(options.blockSize ?? 4096), '-I', '256',
    '-O', options.features ?? 'orphan_file,metadata_csum_seed', '-J', `size=${options.journalMiB ?? 4}`,
    '-E', 'root_owner=0:0', '-d', tree, path, `${options.sizeMiB ?? 64}M`];
  execFileSync('mkfs.ext4', args, { stdio: 'pipe' });
  return path;
}

/** Runs debugfs requests (one per line) with write access. */
export function debugfsWrite(image: string, requests: readonly string[]): string {
  return execFileSync('debugfs', ['-w', '-f', '-', image], { input: `${requests.join('\n')}\n`, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Reads one file of the filesystem with debugfs (the judge), as bytes. */
export function debugfsCat(image: string, path: string): Buffer {
  return execFileSync('debugfs', ['-R', `cat "${path}"`, image], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** `e2fsck -fn`: status 0 when clean. */
export function fsckReadOnly(image: string): { status: number; output: string } {
  const result = spawnSync('e2fsck', ['-fn', image], { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** `e2fsck -fy` as the device's next boot would run it; returns its exit status (0, 1 = fixed, ...). */
export function fsckRepair(image: string): { status: number; output: string } {
  const result = spawnSync('e2fsck', ['-fy', image], { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** sha256 of a whole file. */
export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Writes `bytes` at `position` of a file (to damage it on purpose). */
export function patchFile(path: string, position: number, bytes: Buffer): void {
  const data = readFileSync(path);
  bytes.copy(data, position);
  writeFileSync(path, data);
}

/** The superblock as parsed by our code (for flags in assertions). */
export function superblockOf(image: string): NonNullable<ReturnType<typeof parseSuperblock>> {
  const sb = parseSuperblock(readFileSync(image).subarray(1024, 2048));
  if (sb === undefined) throw new Error(`${image}: no ext superblock`);
  return sb;
}

/** A bare filesystem image opened as the image session opens a data partition, for library-level tests. */
export async function openBareFs(image: string, write = false): Promise<{ overlay: BlockOverlay; disk: ImageDisk; journal: PartitionJournal; close: () => Promise<void> }> {
  const handle = await open(image, write ? 'r+' : 'r');
  const disk = new ImageDisk(handle, !write);
  const sb = superblockOf(image);
  const overlay = new BlockOverlay(disk, 0, sb.sizeBytes, sb.blockSizeBytes);
  try {
    const journal = await openPartitionJournal(overlay, image);
    for (const [block, data] of journal.replayLayer) overlay.replayed.set(block, data);
    return { overlay, disk, journal, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Physical block numbers of a file's data (debugfs `blocks`; `<8>` is the journal). */
export function fileBlocks(image: string, path: string): number[] {
  const text = execFileSync('debugfs', ['-R', path.startsWith('<') ? `blocks ${path}` : `blocks "${path}"`, image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return text.trim().split(/\s+/).filter((t) => t !== '').map(Number);
}

/**
 * `e2fsck -fy` on one partition of an image, as the device's boot would run it on /dev/mmcblk0p8. Runs on a
 * loop device over the partition: e2fsck's `file?offset=N` spelling loses the offset when it re-opens the
 * filesystem after a journal recovery ("Bad magic number ... while trying to re-open").
 */
export function fsckRepairPartition(image: string, offset: number, size: number): { status: number; output: string } {
  const loop = execFileSync('losetup', ['--find', '--show', '--offset', String(offset), '--sizelimit', String(size), image], { encoding: 'utf8' }).trim();
  try {
    const result = spawnSync('e2fsck', ['-fy', loop], { encoding: 'utf8' });
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  } finally {
    execFileSync('losetup', ['-d', loop]);
  }
}
