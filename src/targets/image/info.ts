import { isHaError } from '../../errors/ha-error';
import { listUsers } from '../../storage/list-users';
import { readOnboarding } from '../../storage/onboarding-store';
import type { AuthUserRow } from '../types';
import { HA_CONFIG_ROOT } from './ext-storage-fs';
import type { ImageLayout, ImagePartition } from './layout';
import { withImage, type JournalView } from './session';
import { leftoverTemps } from '../../storage/temp-files';

/** Folders of the HAOS data layout `info` looks for (relative to the data partition's root). */
export const DATA_LAYOUT_FOLDERS: readonly string[] = [
  'supervisor',
  'supervisor/homeassistant',
  'supervisor/homeassistant/.storage',
  'supervisor/addons',
  'supervisor/backup',
  'supervisor/share',
  'supervisor/media',
  'logs',
];

/** One partition as `ha --image PATH info` shows it (the probe's view without its raw superblock). */
export type ImagePartitionInfo = Omit<ImagePartition, 'ext'>;

/** What `ha --image PATH info` reports (plain JSON-friendly data). */
export interface ImageInfo {
  readonly path: string;
  readonly sizeBytes: number;
  /** `hybrid`: a GPT with a hybrid MBR (Raspberry Pi, Yellow, Green, ODROID-M1 cards). */
  readonly table: ImageLayout['table'];
  readonly partitions: ImagePartitionInfo[];
  /** The partition used as Home Assistant's data partition and the state of its filesystem. */
  readonly data: ImagePartitionInfo & { readonly clean: boolean; readonly needsRecovery: boolean; readonly hasErrors: boolean };
  /** Which of DATA_LAYOUT_FOLDERS exist. */
  readonly layout: { readonly present: string[]; readonly missing: string[] };
  /** Users as `auth list` shows them; null when they could not be read (see `problems`). */
  readonly users: AuthUserRow[] | null;
  /** Done onboarding steps; null when `.storage/onboarding` is missing or unreadable. */
  readonly onboardingDone: string[] | null;
  /** Size of `supervisor/homeassistant/home-assistant.log`; null when there is none. */
  readonly logSizeBytes: number | null;
  /** One line per part that could not be read (the rest is still reported). */
  readonly problems: string[];
  /** The data partition's journal: `none` without one; transactions a power cut left, replayed for this view. */
  readonly journal: JournalView;
}

function describeError(error: unknown): string {
  return isHaError(error) || error instanceof Error ? error.message : String(error);
}

/** Reads an image's partitions, HAOS layout, users, onboarding state and log size, without writing. */
export async function readImageInfo(path: string): Promise<ImageInfo> {
  return withImage(path, { write: false }, async ({ storage, ext, layout, partition, capacityBytes, journal }) => {
    const problems: string[] = [...layout.notes];
    const present: string[] = [];
    const missing: string[] = [];
    for (const folder of DATA_LAYOUT_FOLDERS) {
      const stats = await ext.stat(`/${folder}`).catch(() => undefined);
      (stats?.isDirectory() === true ? present : missing).push(folder);
    }
    let users: AuthUserRow[] | null = null;
    let onboardingDone: string[] | null = null;
    if (present.includes('supervisor/homeassistant/.storage')) {
      users = await listUsers(storage).catch((error: unknown) => (problems.push(describeError(error)), null));
      const onboarding = await readOnboarding(storage).catch((error: unknown) => (problems.push(describeError(error)), null));
      onboardingDone = onboarding?.exists === true ? [...onboarding.done] : null;
    }
    const storageNames = await ext.readdir(`${HA_CONFIG_ROOT}/.storage`).catch(() => [] as string[]);
    for (const name of leftoverTemps(storageNames, () => false)) {
      problems.push(`leftover temporary file .storage/${name} from an interrupted write (the next change removes it)`);
    }
    const log = await ext.stat(`${HA_CONFIG_ROOT}/home-assistant.log`).catch(() => undefined);
    const plain = ({ ext: _ext, ...rest }: ImagePartition): ImagePartitionInfo => rest;
    const ext4 = partition.ext;
    return {
      path,
      sizeBytes: capacityBytes,
      table: layout.table,
      partitions: layout.partitions.map(plain),
      data: { ...plain(partition), clean: ext4?.clean ?? false, needsRecovery: ext4?.needsRecovery ?? false, hasErrors: ext4?.hasErrors ?? false },
      layout: { present, missing },
      users,
      onboardingDone,
      logSizeBytes: log?.isFile() === true ? log.size : null,
      journal,
      problems,
    };
  });
}
