import { bcryptVerify } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImageTarget, readImageInfo } from '../../src/targets/image';
import {
  ALICE_PASSWORD, BOB_PASSWORD, STORAGE, TABLES, copyImage, debugfs, fsck, inodeInfo, makeImage, makeTempDir, outsideDataSha256, partitionOffset,
  sha256, storedHash as storedHashIn, superblockField,
} from './image-fixture';

// Auth and onboarding tasks on real images in HAOS's layout with each partition table, judged by e2fsck and debugfs.

const temp = makeTempDir();
afterAll(() => temp.cleanup());

describe.each(TABLES)('image target on a HAOS %s image', (table) => {
  let fixture = '';
  let offset = 0;
  let n = 0;
  const fresh = (): string => copyImage(fixture, temp.dir, `${table}-${(n += 1)}.img`);

  beforeAll(() => {
    fixture = makeImage(`${temp.dir}/fixture-${table}.img`, ['--table', table]);
    offset = partitionOffset(fixture);
  });

  const storedHash = (image: string, username: string): string => storedHashIn(image, offset, username);

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
      expect(info.table).toBe(table);
      expect(info.problems).toEqual([]);
      // Linux's numbering and HAOS's layout: sfdisk and HAOS's genimage configs are the judges.
      const types = info.partitions.map((p) => `${p.index}:${p.fsType ?? '-'}`);
      if (table === 'mbr') {
        expect(types).toEqual(['1:vfat', '3:ext4', '4:ext4', '5:squashfs', '6:erofs', '7:-', '8:-', '9:-']);
        expect(info.data).toMatchObject({ index: 4, name: null, type: '0x83', uuid: null });
      } else {
        expect(types).toEqual(['1:vfat', '2:squashfs', '3:erofs', '4:-', '5:-', '6:-', '7:ext4', '8:ext4']);
        expect(info.partitions.map((p) => p.name)).toEqual(['hassos-boot', 'hassos-kernel0', 'hassos-system0', 'hassos-kernel1',
          'hassos-system1', 'hassos-bootstate', 'hassos-overlay', 'hassos-data']);
        expect(info.data).toMatchObject({ index: 8, name: 'hassos-data', type: '0fc63daf-8483-4772-8e79-3d69d8477de4', uuid: 'a52a4597-fa3a-4851-aefd-2fbe9f849079' });
        expect(info.partitions[6]?.uuid).toBe('f1326040-5236-40eb-b683-aaa100a9afcf');
      }
      expect(info.partitions[0]).toMatchObject({ fsType: 'vfat', label: 'hassos-boot' });
      expect(info.data).toMatchObject({ label: 'hassos-data', fsType: 'ext4', offsetBytes: offset, sizeBytes: 1280 * 1024 * 1024, clean: true, needsRecovery: false });
      expect(info.layout.present).toContain('supervisor/homeassistant/.storage');
      expect(info.layout.present).toContain('logs');
      expect(info.users?.map((u) => u.username)).toEqual(['alice', 'bob']);
      expect(info.onboardingDone).toEqual(['user', 'core_config', 'analytics', 'integration']);
      const logSize = /Size:\s+(\d+)/.exec(debugfs(image, offset, 'stat /supervisor/homeassistant/home-assistant.log'))?.[1];
      expect(info.logSizeBytes).toBe(Number(logSize));
      expect(JSON.parse(JSON.stringify(info))).toEqual(info);
    });
});

describe.each(TABLES)('writes stay inside the data partition (%s)', (table) => {
  it('every byte outside the data partition is the same after auth reset and onboarding reset', async () => {
    const image = makeImage(`${temp.dir}/outside-${table}.img`, ['--table', table, '--bcrypt-cost', '4']);
    const before = outsideDataSha256(image);
    const whole = sha256(image);
    await openImageTarget(image, { write: true })((t) => t.resetPassword('alice', 'outside-check-1', { force: false }));
    await openImageTarget(image, { write: true })((t) => t.resetOnboarding({ force: false }));
    expect(sha256(image)).not.toBe(whole);
    expect(outsideDataSha256(image)).toBe(before);
    expect(fsck(image, partitionOffset(image)).status).toBe(0);
  });
});
