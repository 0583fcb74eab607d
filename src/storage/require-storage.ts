import type { StorageFs } from './fs';
import { notConfigFolderError } from './store-errors';
import { STORAGE_DIR } from './store-spec';

/** Throws "not a Home Assistant config folder" unless `.storage` exists. */
export async function requireStorageDir(fs: StorageFs, where: string): Promise<void> {
  if (!(await fs.exists(STORAGE_DIR))) throw notConfigFolderError(where);
}
