// A card the kernel has mounted is refused end to end, for the image file and for the block device:
// its hassos-data partition mounted (root only; `losetup -P`, or a loop device at the partition's offset
// where this kernel makes no partition nodes), then `ha --image ... auth reset` exits 1 naming the mount
// point, and the image does not change.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHa } from '../helpers/run-ha';
import { dataPartitionNumber, makeImage, makeTempDir, partitionRange, sha256 } from './image-fixture';

const temp = makeTempDir();
const loops: string[] = [];
let image = '';
let mountPoint = '';
/** The whole-card block device whose partition is mounted (only where the kernel made partition nodes). */
let cardDevice: string | undefined;
let skipReason: string | undefined = process.getuid?.() === 0 ? undefined : 'needs root (losetup and mount)';

function attach(args: readonly string[]): string | undefined {
  const attached = spawnSync('losetup', ['--find', '--show', ...args], { encoding: 'utf8' });
  if (attached.status !== 0) {
    skipReason = `losetup ${args.join(' ')} failed here: ${attached.stderr.trim()}`;
    return undefined;
  }
  const loop = attached.stdout.trim();
  loops.push(loop);
  return loop;
}

beforeAll(() => {
  if (skipReason !== undefined) return;
  image = makeImage(join(temp.dir, 'card.img'), ['--bcrypt-cost', '4']);
  const number = dataPartitionNumber(image);
  const card = attach(['--partscan', image]);
  if (card === undefined) return;
  let partition: string | undefined = `${card}p${number}`;
  if (existsSync(partition)) cardDevice = card;
  else {
    const { offset, size } = partitionRange(image, number);
    partition = attach(['--offset', String(offset), '--sizelimit', String(size), image]);
    if (partition === undefined) return;
  }
  mountPoint = join(temp.dir, 'mnt');
  mkdirSync(mountPoint);
  const mounted = spawnSync('mount', ['-o', 'ro', partition, mountPoint], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    skipReason = `mount failed here: ${mounted.stderr.trim()}`;
    mountPoint = '';
  }
}, 120_000);

afterAll(() => {
  if (mountPoint !== '') spawnSync('umount', [mountPoint]);
  for (const loop of loops.reverse()) spawnSync('losetup', ['-d', loop]);
  temp.cleanup();
});

async function expectRefused(target: string): Promise<void> {
  const run = await runHa(['--image', target, 'auth', 'reset', '--username', 'alice', '--password', 'new-pass-1234'], { timeoutMs: 60_000 });
  expect(run.code, `${target}: ${run.stdout}${run.stderr}`).toBe(1);
  expect(run.stderr).toContain(`is mounted at ${mountPoint}`);
}

describe('a mounted card is refused', () => {
  it('the image file whose data partition the kernel has mounted: exit 1, the mount point named, nothing written', async (ctx) => {
    if (skipReason !== undefined) ctx.skip(skipReason);
    const before = sha256(image);
    await expectRefused(image);
    execFileSync('sync');
    expect(sha256(image)).toBe(before);
  }, 120_000);

  it('the block device whose partition is mounted: exit 1, the mount point named, nothing written', async (ctx) => {
    if (skipReason !== undefined) ctx.skip(skipReason);
    if (cardDevice === undefined) ctx.skip('this kernel made no partition nodes for losetup -P (a container); the device case needs them');
    const before = sha256(image);
    await expectRefused(cardDevice ?? '');
    execFileSync('sync');
    expect(sha256(image)).toBe(before);
  }, 120_000);
});
