import { parseSuperblock, SUPERBLOCK_OFFSET_BYTES, SUPERBLOCK_SIZE_BYTES, type SuperblockInfo } from './superblock';

/** Bytes to read at a partition's start to recognise its filesystem. */
export const PROBE_SIZE_BYTES = SUPERBLOCK_OFFSET_BYTES + SUPERBLOCK_SIZE_BYTES;

/** What is at the start of a partition. */
export interface DetectedFs {
  readonly fsType: string | null;
  readonly label: string | null;
  /** Set for ext2/3/4. */
  readonly ext: SuperblockInfo | undefined;
}

const NONE: DetectedFs = { fsType: null, label: null, ext: undefined };

function fatLabel(head: Buffer, at: number): string | null {
  const label = head.subarray(at, at + 11).toString('latin1').trimEnd();
  return label === '' || label === 'NO NAME' ? null : label;
}

/** Recognises ext2/3/4, vfat and squashfs from the first PROBE_SIZE_BYTES of a partition (pure). */
export function detectFs(head: Buffer): DetectedFs {
  if (head.length >= PROBE_SIZE_BYTES) {
    const ext = parseSuperblock(head.subarray(SUPERBLOCK_OFFSET_BYTES, PROBE_SIZE_BYTES));
    if (ext !== undefined) return { fsType: ext.fsType, label: ext.label === '' ? null : ext.label, ext };
  }
  if (head.length >= 512 && head.readUInt16LE(510) === 0xaa55) {
    if (head.subarray(0x52, 0x57).toString('latin1') === 'FAT32') return { fsType: 'vfat', label: fatLabel(head, 0x47), ext: undefined };
    if (head.subarray(0x36, 0x39).toString('latin1') === 'FAT') return { fsType: 'vfat', label: fatLabel(head, 0x2b), ext: undefined };
  }
  if (head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'hsqs') return { fsType: 'squashfs', label: null, ext: undefined };
  return NONE;
}
