import { HaError } from '../errors/ha-error';
import { encodeStore, type StoreEnvelope } from './envelope';
import type { StorageFs } from './fs';
import { PRIVATE_FILE_MODE, storePath, type StoreSpec } from './store-spec';

/** The error when a store did not read back as written (a failing disk or card). */
export function readBackError(spec: StoreSpec): HaError {
  return new HaError(`${storePath(spec.key)} did not read back as written`, { hint: 'The disk may be failing: check it (fsck) and try again.' });
}

/**
 * Writes a private store as Core's Store does (the JSON of encodeStore, mode 0600, atomically) and reads it back.
 * Returns the file's previous bytes (undefined when it did not exist), so a task can put them back.
 */
export async function writePrivateStore(fs: StorageFs, spec: StoreSpec, envelope: StoreEnvelope): Promise<Buffer | undefined> {
  const path = storePath(spec.key);
  const before = await fs.readFile(path);
  const bytes = encodeStore(envelope);
  await fs.writeFileAtomic(path, bytes, PRIVATE_FILE_MODE);
  const back = await fs.readFile(path);
  if (back === undefined || !back.equals(bytes)) throw readBackError(spec);
  return before;
}
