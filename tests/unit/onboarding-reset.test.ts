import { describe, expect, it } from 'vitest';
import { isHaError } from '../../src/errors/ha-error';
import { resetOnboarding } from '../../src/storage/reset-onboarding';
import { MemoryFs } from '../helpers/memory-fs';

// The files Core's onboarding depends on, as the seed lists them (reference/ha-storage.md).
const SEED = ['auth', 'auth_provider.homeassistant', 'onboarding', 'hassio', 'cloud'];
const NOW = new Date('2025-06-14T18:02:11.250Z');
const NO_FORCE = { options: { force: false } };

/** A MemoryFs whose renames fail when `fails(from, to)` says so (a full disk, a read-only remount). */
class FailingRenameFs extends MemoryFs {
  constructor(private readonly fails: (from: string, to: string) => boolean) {
    super();
  }
  override async rename(from: string, to: string): Promise<void> {
    if (this.fails(from, to)) throw Object.assign(new Error(`EIO ${from}`), { code: 'EIO' });
    await super.rename(from, to);
  }
}

function seed(fs: MemoryFs): Map<string, string> {
  const contents = new Map<string, string>();
  for (const key of SEED) {
    const text = JSON.stringify({ version: 1, key, data: { marker: `${key} content` } });
    fs.files.set(`.storage/${key}`, Buffer.from(text));
    contents.set(key, text);
  }
  fs.files.set('.storage/core.config', Buffer.from('{"keep":"me"}'));
  return contents;
}

describe('onboarding reset', () => {
  it('moves every file the seed lists, unchanged, into the dated folder, and nothing else', async () => {
    const fs = new MemoryFs();
    const contents = seed(fs);
    const outcome = await resetOnboarding(fs, NOW, NO_FORCE);
    expect(outcome.backupDir).toBe('.storage/backup-onboarding-20250614-180211');
    expect([...outcome.moved].sort()).toEqual([...SEED].sort());
    for (const key of SEED) {
      expect(fs.files.has(`.storage/${key}`)).toBe(false);
      expect(fs.files.get(`${outcome.backupDir}/${key}`)?.toString()).toBe(contents.get(key));
    }
    expect(fs.files.get('.storage/core.config')?.toString()).toBe('{"keep":"me"}');
  });

  it('runs in the same second get folders of their own (-2, -3), never mixing two resets', async () => {
    const fs = new MemoryFs();
    const dirs: string[] = [];
    for (let run = 0; run < 3; run++) {
      seed(fs);
      dirs.push((await resetOnboarding(fs, new Date(NOW.getTime() + run * 100), NO_FORCE)).backupDir);
    }
    expect(dirs).toEqual([
      '.storage/backup-onboarding-20250614-180211',
      '.storage/backup-onboarding-20250614-180211-2',
      '.storage/backup-onboarding-20250614-180211-3',
    ]);
    for (const dir of dirs) expect((await fs.readdir(dir))?.sort()).toEqual([...SEED].sort());
  });

  it('a move failing half-way puts the moved files back and says nothing was changed', async () => {
    let renames = 0;
    const fs = new FailingRenameFs((_from, to) => to.includes('backup-onboarding-') && ++renames === 3);
    const contents = seed(fs);
    const error = await resetOnboarding(fs, NOW, NO_FORCE).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isHaError(error)).toBe(true);
    expect((error as Error).message).toContain('nothing was changed');
    for (const key of SEED) expect(fs.files.get(`.storage/${key}`)?.toString()).toBe(contents.get(key));
    expect([...fs.files.keys()].filter((p) => p.includes('backup-onboarding-'))).toEqual([]);
  });

  it('when a file cannot be moved back either, it names the file and where it stayed', async () => {
    let forward = 0;
    const fs = new FailingRenameFs((from, to) => (to.includes('backup-onboarding-') ? ++forward === 3 : from.endsWith('/auth')));
    seed(fs);
    const error = await resetOnboarding(fs, NOW, NO_FORCE).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isHaError(error)).toBe(true);
    expect((error as Error).message).toContain('auth stayed in .storage/backup-onboarding-20250614-180211');
    expect(fs.files.has('.storage/backup-onboarding-20250614-180211/auth')).toBe(true);
    expect(fs.files.has('.storage/onboarding')).toBe(true);
  });
});
