import type { SuperblockInfo } from './superblock';

/** Names (GPT partition name or ext4 label) of a HAOS data partition, in order of preference. */
export const DATA_PARTITION_NAMES: readonly string[] = ['hassos-data', 'hassos-data-external'];

/** One partition of an image, as probed. */
export interface ImagePartition {
  /** 1-based, as Linux numbers them (`sda8`); 0 for a filesystem without a partition table. */
  readonly index: number;
  /** GPT partition name; null on MBR or when unnamed. */
  readonly name: string | null;
  /** Filesystem label, if the filesystem was recognised and has one. */
  readonly label: string | null;
  readonly fsType: string | null;
  readonly offsetBytes: number;
  readonly sizeBytes: number;
  /** The ext superblock, for ext2/3/4 partitions. */
  readonly ext: SuperblockInfo | undefined;
}

/** The partition table of an image: `none` when the whole image is one filesystem. */
export interface ImageLayout {
  readonly table: 'gpt' | 'mbr' | 'none';
  readonly partitions: readonly ImagePartition[];
}

/** The HAOS data partition: by GPT name first, then by ext label (MBR, renamed or unnamed partitions). */
export function pickDataPartition(layout: ImageLayout): ImagePartition | undefined {
  for (const wanted of DATA_PARTITION_NAMES) {
    const byName = layout.partitions.find((p) => p.name === wanted && p.ext !== undefined);
    if (byName !== undefined) return byName;
  }
  for (const wanted of DATA_PARTITION_NAMES) {
    const byLabel = layout.partitions.find((p) => p.label === wanted && p.ext !== undefined);
    if (byLabel !== undefined) return byLabel;
  }
  return undefined;
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
