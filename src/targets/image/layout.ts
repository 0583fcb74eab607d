import type { TableKind } from './partition-table/types';
import type { SuperblockInfo } from './superblock';

/** The ext4 label HAOS mounts as /mnt/data (it finds the data partition by filesystem label). */
export const DATA_FS_LABEL = 'hassos-data';
/** GPT names of a data partition: on the boot disk, and on a disk the data was moved to (`datactl move`). */
export const DATA_PARTITION_NAMES: readonly string[] = ['hassos-data', 'hassos-data-external'];
/** ext4 labels of a data partition HAOS no longer uses (left behind by a move, or disabled). */
export const RETIRED_DATA_LABELS: readonly string[] = ['hassos-data-old', 'hassos-data-dis'];

/** One partition of an image, as probed. */
export interface ImagePartition {
  /** 1-based, as Linux numbers them (`sda8`); 0 for a filesystem without a partition table. */
  readonly index: number;
  /** GPT partition name; null on MBR or when unnamed. */
  readonly name: string | null;
  /** GPT type GUID or MBR type byte (`0x83`); null without a partition table. */
  readonly type: string | null;
  /** GPT unique partition GUID; null on MBR and without a table. */
  readonly uuid: string | null;
  /** Filesystem label, if the filesystem was recognised and has one. */
  readonly label: string | null;
  readonly fsType: string | null;
  readonly offsetBytes: number;
  /** From the table entry; zero or less when the entry ends before it starts. */
  readonly sizeBytes: number;
  /** The ext superblock, for ext2/3/4 partitions. */
  readonly ext: SuperblockInfo | undefined;
}

/** The partition table of an image: `none` when the whole image is one filesystem; `hybrid` is GPT + hybrid MBR. */
export interface ImageLayout {
  readonly table: TableKind;
  readonly partitions: readonly ImagePartition[];
  /** What the table reader noticed (a damaged primary GPT read from its backup, a broken EBR chain). */
  readonly notes: readonly string[];
}

/** Every ext filesystem labelled `hassos-data`: more than one is ambiguous (HAOS mounts by label). */
export function findDataLabelled(layout: ImageLayout): ImagePartition[] {
  return layout.partitions.filter((p) => p.ext !== undefined && p.label === DATA_FS_LABEL);
}

/**
 * The HAOS data partition, as the OS picks it: the ext filesystem labelled `hassos-data` (preferring a
 * GPT-named one when several are; see findDataLabelled), else an ext partition named `hassos-data`/`hassos-data-external`
 * whose label is not a retired one. Undefined when there is none.
 */
export function pickDataPartition(layout: ImageLayout): ImagePartition | undefined {
  const ext = layout.partitions.filter((p) => p.ext !== undefined);
  const named = (p: ImagePartition): boolean => p.name !== null && DATA_PARTITION_NAMES.includes(p.name);
  const labelled = findDataLabelled(layout);
  const byLabel = labelled.find(named) ?? labelled[0];
  if (byLabel !== undefined) return byLabel;
  return ext.find((p) => named(p) && !RETIRED_DATA_LABELS.includes(p.label ?? ''));
}

/** A data partition HAOS no longer uses (label hassos-data-old or hassos-data-dis), if the image has one. */
export function findRetiredDataPartition(layout: ImageLayout): ImagePartition | undefined {
  return layout.partitions.find((p) => p.ext !== undefined && RETIRED_DATA_LABELS.includes(p.label ?? ''));
}

/** How many bytes the partition table says the image must have (end of its last partition). */
export function requiredBytes(layout: ImageLayout): number {
  return layout.partitions.reduce((max, p) => Math.max(max, p.offsetBytes + p.sizeBytes), 0);
}

/** Short human name of a partition, e.g. `8 (hassos-data)`. */
export function partitionName(p: ImagePartition): string {
  const label = p.name ?? p.label;
  return label === null ? String(p.index) : `${p.index} (${label})`;
}
