import { HaError } from '../errors/ha-error';
import { storePath, type StoreSpec } from './store-spec';

const RESTORE_HINT =
  'Restore it from a backup (or a copy of the card), or start over with `onboarding reset`, which moves it into a backup folder.';

/** The file is not valid JSON: Core would discard it. */
export function corruptStoreError(spec: StoreSpec, line: number, cause: unknown): HaError {
  return new HaError(
    `${storePath(spec.key)} is not valid JSON (line ${line}): ${spec.whenUnreadable}; nothing was changed`,
    { hint: RESTORE_HINT, cause },
  );
}

/** The file is JSON but not the shape Core writes. */
export function invalidStoreError(spec: StoreSpec, problem: string): HaError {
  return new HaError(`${storePath(spec.key)} is not a valid Home Assistant store (${problem}); nothing was changed`, {
    hint: RESTORE_HINT,
  });
}

/** The file was written by a Home Assistant version this tool does not know. */
export function unknownVersionError(spec: StoreSpec, version: number): HaError {
  return new HaError(
    `${storePath(spec.key)} has version ${version}, which this tool does not know (it reads ${spec.majorVersions.join(', ')}); nothing was changed`,
    { hint: 'It was probably written by a newer Home Assistant: update ha-console, or use `hass --script auth` inside the Core container.' },
  );
}

/** The folder has no `.storage`: it is not a Home Assistant config folder. */
export function notConfigFolderError(where: string): HaError {
  return new HaError(`${where} is not a Home Assistant config folder (it has no .storage folder)`, {
    hint: 'Point at the folder that holds .storage, e.g. /config in the Core container or /mnt/data/supervisor/homeassistant on the host.',
  });
}
