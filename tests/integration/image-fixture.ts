import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Shared helpers of the image-*.test.ts files: images come from scripts/make-test-image in HAOS's layout (made
// once per table and test file) and are COPIED sparsely per test; the judges are e2fsprogs (e2fsck, debugfs)
// and sfdisk, not our code.

/** The partition tables HAOS writes (board/NAME/meta PARTITION_TABLE_TYPE); every image test runs on each. */
export const TABLES = ['gpt', 'hybrid', 'mbr'] as const;
/** One of TABLES. */
export type Table = (typeof TABLES)[number];

/** Repository root. */
export const ROOT = join(__dirname, '..', '..');
/** Known test passwords of the default users of scripts/make-test-image. */
export const ALICE_PASSWORD = 'alice-test-password';
/** Bob's password exercises quoting and UTF-8. */
export const BOB_PASSWORD = 'Bob\'s p@ss wörd "1"';
/** Path inside the data partition of Home Assistant's .storage. */
export const STORAGE = '/supervisor/homeassistant/.storage';

/** A temp dir for one test file. */
export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ha-image-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Builds an image with scripts/make-test-image (HAOS's layout, GPT unless args say `--table`). */
export function makeImage(out: string, args: readonly string[] = []): string {
  execFileSync(join(ROOT, 'scripts', 'make-test-image'), [out, ...args], { stdio: 'pipe' });
  return out;
}

/** A fresh sparse copy of a fixture image (tests never edit the fixture in place). */
export function copyImage(fixture: string, dir: string, name: string): string {
  const copy = join(dir, name);
  execFileSync('cp', ['--sparse=always', fixture, copy]);
  return copy;
}

interface SfdiskPart { readonly node: string; readonly start: number; readonly size: number; readonly name?: string }

/** The partitions sfdisk reads, and its label (`gpt` for hybrid too, `dos` for MBR). */
export function sfdiskTable(image: string): { label: string; partitions: SfdiskPart[] } {
  const json = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })) as { partitiontable: { label: string; partitions: SfdiskPart[] } };
  return json.partitiontable;
}

/** Byte offset and size of partition `number` according to sfdisk. */
export function partitionRange(image: string, number: number): { offset: number; size: number } {
  const part = sfdiskTable(image).partitions.find((p) => p.node === `${image}${number}`);
  if (part === undefined) throw new Error(`no partition ${number} in ${image}`);
  return { offset: part.start * 512, size: part.size * 512 };
}

/** HAOS's data partition number: 8 on GPT and hybrid (partitions-os-gpt.cfg), 4 on MBR (partitions-os-mbr.cfg). */
export function dataPartitionNumber(image: string): number {
  return sfdiskTable(image).label === 'gpt' ? 8 : 4;
}

/** Byte offset of the data partition (or of partition `number`) according to sfdisk. */
export function partitionOffset(image: string, number = dataPartitionNumber(image)): number {
  return partitionRange(image, number).offset;
}

/** e2fsprogs' `file?offset=N` device spelling. */
export function device(image: string, offset: number): string {
  return `${image}?offset=${offset}`;
}

/** Runs `e2fsck -fn`: exit status (0 = no errors) and output. */
export function fsck(image: string, offset: number): { status: number; output: string } {
  const result = spawnSync('e2fsck', ['-fn', device(image, offset)], { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** Runs one debugfs request (read-only unless `write`) and returns its stdout. */
export function debugfs(image: string, offset: number, request: string, write = false): string {
  const args = [...(write ? ['-w'] : []), '-R', request, device(image, offset)];
  return execFileSync('debugfs', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The bcrypt hash stored for `username` in the card's provider store, read by debugfs (throws when not there). */
export function storedHash(image: string, offset: number, username: string): string {
  const text = debugfs(image, offset, `cat ${STORAGE}/auth_provider.homeassistant`);
  const store = JSON.parse(text) as { data: { users: { username: string; password: string }[] } };
  const entry = store.data.users.find((u) => u.username === username);
  if (entry === undefined) throw new Error(`no ${username} in the provider store`);
  return Buffer.from(entry.password, 'base64').toString('ascii');
}

/** Mode (octal string), uid and gid of a file, from `debugfs stat`. */
export function inodeInfo(image: string, offset: number, path: string): { mode: string; uid: number; gid: number } {
  const text = debugfs(image, offset, `stat "${path}"`);
  const mode = /Mode:\s+(\d+)/.exec(text)?.[1];
  const uid = /User:\s+(\d+)/.exec(text)?.[1];
  const gid = /Group:\s+(\d+)/.exec(text)?.[1];
  if (mode === undefined || uid === undefined || gid === undefined) throw new Error(`debugfs stat ${path}: ${text}`);
  return { mode, uid: Number(uid), gid: Number(gid) };
}

/** `dumpe2fs -h` line value, e.g. `Filesystem state`. */
export function superblockField(image: string, offset: number, field: string): string {
  const text = execFileSync('dumpe2fs', ['-h', device(image, offset)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const line = text.split('\n').find((l) => l.startsWith(`${field}:`));
  return line === undefined ? '' : line.slice(field.length + 1).trim();
}

// sha256 over the non-zero 4 KiB blocks (with their offsets) of bytes [start, end): equal content gives an equal
// hash whether zeros are holes or written, and holes are skipped with SEEK_DATA, so a 2 GB image takes ~0.1 s.
const SPARSE_SHA256 = `
import hashlib, os, sys
path, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fd = os.open(path, os.O_RDONLY)
end = os.fstat(fd).st_size if end < 0 else end
h = hashlib.sha256(); pos = start; zero = bytes(4096)
while pos < end:
    try: data = os.lseek(fd, pos, os.SEEK_DATA)
    except OSError: break
    if data >= end: break
    hole = min(os.lseek(fd, data, os.SEEK_HOLE), end)
    at = max(data - data % 4096, start)
    while at < hole:
        piece = os.pread(fd, min(1 << 20, hole - at), at)
        for i in range(0, len(piece), 4096):
            if piece[i:i + 4096] != zero[:len(piece[i:i + 4096])]: h.update((at + i).to_bytes(8, 'little') + piece[i:i + 4096])
        at += len(piece)
    pos = hole
print(h.hexdigest() + ' %d' % os.fstat(fd).st_size)
`;

/** sha256 of a file's bytes [start, end) (end -1: to the end of the file), plus the file's size. */
export function sha256(path: string, start = 0, end = -1): string {
  if (start % 4096 !== 0) throw new Error('sha256: start must be 4 KiB aligned');
  return execFileSync('python3', ['-c', SPARSE_SHA256, path, String(start), String(end)], { encoding: 'utf8' }).trim();
}

/** sha256 of every byte outside the data partition (before it, and after it to the end of the file). */
export function outsideDataSha256(image: string): string {
  const { offset, size } = partitionRange(image, dataPartitionNumber(image));
  return `${sha256(image, 0, offset)} ${sha256(image, offset + size)} ${statSync(image).size}`;
}
