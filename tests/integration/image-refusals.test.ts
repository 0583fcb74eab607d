import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { openImageTarget } from '../../src/targets/image';
import { copyImage, debugfs, makeImage, makeTempDir, partitionOffset, sha256 } from './image-fixture';

// Every refusal is a HaError with one line and a hint, and leaves the file byte-for-byte unchanged.

const temp = makeTempDir();
let fixture = '';
let offset = 0;
let n = 0;
const fresh = (): string => copyImage(fixture, temp.dir, `copy-${(n += 1)}.img`);

beforeAll(() => {
  fixture = makeImage(join(temp.dir, 'fixture.img'));
  offset = partitionOffset(fixture, 'hassos-data');
});
afterAll(() => temp.cleanup());

async function expectRefusal(path: string, pattern: RegExp, hint: RegExp | undefined): Promise<void> {
  const before = sha256(path);
  let caught: unknown;
  try {
    await openImageTarget(path, { write: true })((t) => t.resetPassword('alice', 'another-password', { force: false }));
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HaError);
  const error = caught as HaError;
  expect(error.message).toMatch(pattern);
  expect(error.message).not.toContain('\n');
  if (hint !== undefined) expect(error.hint).toMatch(hint);
  expect(sha256(path)).toBe(before);
}

describe('image refusals (nothing written)', () => {
  it('a file that is not a disk image', async () => {
    const path = join(temp.dir, 'random.bin');
    writeFileSync(path, Buffer.alloc(1024 * 1024, 0x5a));
    await expectRefusal(path, /is not a disk image/, /disk image/);
  });

  it('a compressed image', async () => {
    const path = join(temp.dir, 'compressed.img');
    copyFileSync(fixture, path);
    execFileSync('gzip', ['-1', path]);
    await expectRefusal(`${path}.gz`, /gzip-compressed/, /Decompress/);
  });

  it('an image without a data partition', async () => {
    const path = fresh();
    execFileSync('sfdisk', ['--part-label', path, '8', 'other-data'], { stdio: 'pipe' });
    debugfs(path, offset, 'ssv volume_name other', true);
    await expectRefusal(path, /no Home Assistant data partition \(found: .*hassos-boot/, /hassos-data/);
  });

  it('a truncated image', async () => {
    const path = fresh();
    truncateSync(path, 150 * 1024 * 1024);
    await expectRefusal(path, /is truncated/, /cut short/);
  });

  it('a journal that needs recovery', async () => {
    const path = fresh();
    debugfs(path, offset, 'feature needs_recovery', true);
    await expectRefusal(path, /journal needs recovery/, /e2fsck -fy '.*\?offset=\d+'/);
  });

  it('a filesystem that was not cleanly unmounted', async () => {
    const path = fresh();
    debugfs(path, offset, 'ssv state 0', true);
    await expectRefusal(path, /not cleanly unmounted/, /e2fsck -fy/);
  });

  it('a filesystem with recorded errors', async () => {
    const path = fresh();
    debugfs(path, offset, 'ssv state 3', true);
    await expectRefusal(path, /errors recorded/, /e2fsck -fy/);
  });

  it('a read-only file', async () => {
    const path = fresh();
    chmodSync(path, 0o444);
    await expectRefusal(path, /is read-only/, /chmod u\+w/);
    const users = await openImageTarget(path, { write: false })((t) => t.listUsers());
    expect(users.map((u) => u.username)).toEqual(['alice', 'bob']);
  });

  it('a folder', async () => {
    const path = join(temp.dir, 'config');
    mkdirSync(path);
    let caught: unknown;
    await openImageTarget(path, { write: true })(async () => undefined).catch((error: unknown) => (caught = error));
    expect(caught).toBeInstanceOf(HaError);
    expect((caught as HaError).hint).toMatch(/--config/);
  });

  it('a missing file', async () => {
    await expect(openImageTarget(join(temp.dir, 'nope.img'), { write: false })(async () => undefined)).rejects.toThrow(/No such image/);
  });
});
