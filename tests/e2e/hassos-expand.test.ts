import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './qemu-env';

// The appliance's hassos-expand (image/rootfs/usr/libexec/hassos-expand, run at every boot before the mounts) on
// image files of each HAOS layout, with this machine's sfdisk (util-linux 2.38, the same as the image's Debian
// fdisk package). The QEMU boards boot it on GPT (tests/e2e/qemu-*.test.ts); the Pi layouts' hybrid MBR and the
// ODROID MBR layout are checked here, where the table can be read byte by byte.

const EXPAND = join(REPO_ROOT, 'image', 'rootfs', 'usr', 'libexec', 'hassos-expand');
const GROW_BYTES = 256 * 1024 * 1024;
const tmp = mkdtempSync(join(tmpdir(), 'hassos-expand-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
const missing = ['sfdisk', 'genimage', 'mkfs.vfat', 'mcopy', 'mksquashfs', 'mkfs.erofs', 'mkfs.ext4'].filter((tool) => !has(tool));
if (missing.length > 0) process.stderr.write(`\n*** hassos-expand SKIPPED: ${missing.join(', ')} missing ***\n\n`);

function firstSector(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(512);
    readSync(fd, buffer, 0, 512, 0);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

interface Dump {
  label: string;
  lastlba?: number;
  partitions: Array<{ node: string; start: number; size: number }>;
}
function dump(path: string): Dump {
  return (JSON.parse(execFileSync('sfdisk', ['-J', path], { encoding: 'utf8' })) as { partitiontable: Dump }).partitiontable;
}

describe.skipIf(missing.length > 0)('hassos-expand grows hassos-data to the end of a bigger card', () => {
  it.each([
    ['gpt', 8],
    ['hybrid', 8],
    ['mbr', 4],
  ] as const)('%s: partition %i to the end, GPT backup moved, the MBR of a hybrid table untouched; a second run does nothing', (table, part) => {
    const img = join(tmp, `${table}.img`);
    execFileSync(join(REPO_ROOT, 'scripts', 'make-test-image'), [img, '--table', table, '--bcrypt-cost', '4'], { stdio: 'ignore' });
    const before = dump(img);
    const mbr = firstSector(img);
    execFileSync('truncate', ['-s', `+${GROW_BYTES}`, img]);

    const run = spawnSync('sh', [EXPAND, img, String(part)], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\[INFO\] Finished hassos-data partition resizing/);
    const after = dump(img);
    const node = `${img}${part}`;
    const data = after.partitions.find((p) => p.node === node);
    if (data === undefined) throw new Error(`no partition ${node}`);
    const sectors = statSync(img).size / 512;
    if (table === 'mbr') {
      expect(data.start + data.size).toBe(sectors);
    } else {
      // The backup GPT is at the end again (33 sectors), the partition ends at the last usable sector.
      expect(after.lastlba).toBe(sectors - 34);
      expect(data.start + data.size - 1).toBe(after.lastlba);
      expect(execFileSync('sfdisk', ['--verify', img], { encoding: 'utf8' })).toMatch(/No errors detected/);
    }
    // Only hassos-data changed.
    expect(after.partitions.filter((p) => p.node !== node)).toEqual(before.partitions.filter((p) => p.node !== node));
    expect(data.start).toBe(before.partitions.find((p) => p.node === node)?.start);
    if (table === 'hybrid') {
      expect(run.stderr).toMatch(/The device contains hybrid MBR -- writing GPT only\./);
      expect(firstSector(img).equals(mbr)).toBe(true);
    }
    const again = spawnSync('sh', [EXPAND, img, String(part)], { encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/\[INFO\] No resize of data partition needed/);
  }, 120_000);
});
