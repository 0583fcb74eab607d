import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Shared helpers of the image-*.test.ts files: images come from scripts/make-test-image (made once per
// test file) and are COPIED per test; the judges are e2fsprogs (e2fsck, debugfs) and sfdisk, not our code.

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

/** Builds an image with scripts/make-test-image. */
export function makeImage(out: string, args: readonly string[] = []): string {
  execFileSync(join(ROOT, 'scripts', 'make-test-image'), [out, '--size', '200M', ...args], { stdio: 'pipe' });
  return out;
}

/** A fresh copy of a fixture image (tests never edit the fixture in place). */
export function copyImage(fixture: string, dir: string, name: string): string {
  const copy = join(dir, name);
  copyFileSync(fixture, copy);
  return copy;
}

/** Byte offset of a partition (by GPT name, or the last one) according to sfdisk. */
export function partitionOffset(image: string, name?: string): number {
  const json = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })) as {
    partitiontable: { sectorsize?: number; partitions: { start: number; name?: string }[] };
  };
  const parts = json.partitiontable.partitions;
  const part = name === undefined ? parts[parts.length - 1] : parts.find((p) => p.name === name);
  if (part === undefined) throw new Error(`no partition ${name ?? ''} in ${image}`);
  return part.start * (json.partitiontable.sectorsize ?? 512);
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

/** sha256 of a whole file. */
export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
