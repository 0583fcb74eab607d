import { bcryptVerify } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImageTarget, readImageInfo } from '../../src/targets/image';
import {
  ALICE_PASSWORD, BOB_PASSWORD, STORAGE, copyImage, debugfs, fsck, inodeInfo, makeImage, makeTempDir, partitionOffset, sha256, superblockField,
} from './image-fixture';

// Auth and onboarding tasks on a real HAOS-like image, judged by e2fsck and debugfs.

const temp = makeTempDir();
let fixture = '';
let offset = 0;
let n = 0;
const fresh = (): string => copyImage(fixture, temp.dir, `copy-${(n += 1)}.img`);

beforeAll(() => {
  fixture = makeImage(`${temp.dir}/fixture.img`);
  offset = partitionOffset(fixture, 'hassos-data');
});
afterAll(() => temp.cleanup());

async function storedHash(image: string, username: string): Promise<string> {
  const text = debugfs(image, offset, `cat ${STORAGE}/auth_provider.homeassistant`);
  const store = JSON.parse(text) as { data: { users: { username: string; password: string }[] } };
  const entry = store.data.users.find((u) => u.username === username);
  if (entry === undefined) throw new Error(`no ${username} in the provider store`);
  return Buffer.from(entry.password, 'base64').toString('ascii');
}

describe('image target on a HAOS-like GPT image', () => {
  it('lists the users (system users hidden)', async () => {
    const image = fresh();
    const users = await openImageTarget(image, { write: false })((t) => t.listUsers());
    expect(users.map((u) => u.username)).toEqual(['alice', 'bob']);
    expect(users.find((u) => u.username === 'alice')?.isOwner).toBe(true);
  });

  it('resets a password: bcrypt $2b$12$ hash of the new password, 0600, owner root, fsck clean', async () => {
    const image = fresh();
    const before = await storedHash(image, 'alice');
    expect(await bcryptVerify({ password: ALICE_PASSWORD, hash: before })).toBe(true);
    const newPassword = 'n3w pässwörd with spaces';
    const outcome = await openImageTarget(image, { write: true })((t) => t.resetPassword('alice', newPassword, { force: false }));
    expect(outcome.updated).toEqual(['alice']);

    const after = await storedHash(image, 'alice');
    expect(after.startsWith('$2b$12$')).toBe(true);
    expect(await bcryptVerify({ password: newPassword, hash: after })).toBe(true);
    expect(await bcryptVerify({ password: ALICE_PASSWORD, hash: after })).toBe(false);
    expect(await bcryptVerify({ password: BOB_PASSWORD, hash: await storedHash(image, 'bob') })).toBe(true);

    expect(inodeInfo(image, offset, `${STORAGE}/auth_provider.homeassistant`)).toEqual({ mode: '0600', uid: 0, gid: 0 });
    const result = fsck(image, offset);
    expect(result.output).not.toMatch(/Fix\?|error/i);
    expect(result.status).toBe(0);
    expect(superblockField(image, offset, 'Filesystem state')).toBe('clean');
    expect(debugfs(image, offset, `ls ${STORAGE}`)).not.toMatch(/\.tmp/);
  });

  it('a second reset on the same image stays consistent', async () => {
    const image = fresh();
    for (const password of ['first-new-password', 'second-new-password']) {
      await openImageTarget(image, { write: true })((t) => t.resetPassword('bob', password, { force: false }));
      expect(fsck(image, offset).status).toBe(0);
    }
    expect(await bcryptVerify({ password: 'second-new-password', hash: await storedHash(image, 'bob') })).toBe(true);
  });

  it('an unknown user is an honest error and the filesystem stays clean', async () => {
    const image = fresh();
    const attempt = openImageTarget(image, { write: true })((t) => t.resetPassword('mallory', 'whatever-pass', { force: false }));
    await expect(attempt).rejects.toMatchObject({ name: 'HaError' });
    expect(fsck(image, offset).status).toBe(0);
    expect(superblockField(image, offset, 'Filesystem state')).toBe('clean');
  });

  it('resets onboarding: files moved into a backup folder, fsck clean, mode kept', async () => {
    const image = fresh();
    const outcome = await openImageTarget(image, { write: true })((t) => t.resetOnboarding({ force: false }));
    expect([...outcome.moved].sort()).toEqual(['auth', 'auth_provider.homeassistant', 'hassio', 'onboarding']);
    const listing = debugfs(image, offset, `ls ${STORAGE}`);
    expect(listing).not.toMatch(/\bonboarding\b(?!-)/);
    const backup = `/supervisor/homeassistant/${outcome.backupDir}`;
    expect(debugfs(image, offset, `ls ${backup}`)).toMatch(/auth_provider\.homeassistant/);
    expect(inodeInfo(image, offset, `${backup}/auth`)).toEqual({ mode: '0600', uid: 0, gid: 0 });
    expect(inodeInfo(image, offset, backup).uid).toBe(0);
    expect(fsck(image, offset).status).toBe(0);
    const users = await openImageTarget(image, { write: false })((t) => t.listUsers());
    expect(users).toEqual([]);
  });

  it('a read-only open refuses to write and leaves the image unchanged', async () => {
    const image = fresh();
    const attempt = openImageTarget(image, { write: false })((t) => t.resetPassword('alice', 'some-new-pass', { force: false }));
    await expect(attempt).rejects.toThrow(/read-only/);
    expect(await bcryptVerify({ password: ALICE_PASSWORD, hash: await storedHash(image, 'alice') })).toBe(true);
  });

  it('reports partitions, layout, users, onboarding and log size, writing nothing', async () => {
    const image = fresh();
    const before = sha256(image);
    const info = await readImageInfo(image);
    await openImageTarget(image, { write: false })((t) => t.listUsers());
    expect(sha256(image)).toBe(before);
    expect(info.table).toBe('gpt');
    expect(info.partitions.map((p) => p.name)).toContain('hassos-overlay');
    expect(info.partitions.find((p) => p.name === 'hassos-boot')?.fsType).toBe('vfat');
    expect(info.data).toMatchObject({ name: 'hassos-data', fsType: 'ext4', offsetBytes: offset, clean: true, needsRecovery: false });
    expect(info.layout.present).toContain('supervisor/homeassistant/.storage');
    expect(info.layout.present).toContain('logs');
    expect(info.users?.map((u) => u.username)).toEqual(['alice', 'bob']);
    expect(info.onboardingDone).toEqual(['user', 'core_config', 'analytics', 'integration']);
    const logSize = /Size:\s+(\d+)/.exec(debugfs(image, offset, 'stat /supervisor/homeassistant/home-assistant.log'))?.[1];
    expect(info.logSizeBytes).toBe(Number(logSize));
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });
});
