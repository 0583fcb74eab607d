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

/** EROFS superblock magic at byte 1024 (linux fs/erofs/erofs_fs.h EROFS_SUPER_MAGIC_V1), little-endian. */
const EROFS_MAGIC = 0xe0f5e1e2;
const EROFS_MAGIC_AT = 1024;

/** Recognises ext2/3/4, vfat, squashfs and EROFS from the first PROBE_SIZE_BYTES of a partition (pure). */
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
  if (head.length >= EROFS_MAGIC_AT + 4 && head.readUInt32LE(EROFS_MAGIC_AT) === EROFS_MAGIC) return { fsType: 'erofs', label: null, ext: undefined };
  return NONE;
}

/** Virtual-machine disk formats by their magic at byte 0 (the probes of the qemu block drivers); raw disks have none of these. */
const VM_DISKS: readonly (readonly [string, Buffer])[] = [
  ['qcow2', Buffer.from([0x51, 0x46, 0x49, 0xfb])],
  ['vmdk', Buffer.from('KDMV', 'latin1')],
  ['vmdk', Buffer.from('# Disk DescriptorFile', 'latin1')],
  ['vhdx', Buffer.from('vhdxfile', 'latin1')],
  ['vhd', Buffer.from('conectix', 'latin1')],
];

/** VDI: its header text varies by writer (VirtualBox, QEMU); the signature 0xBEDA107F at byte 0x40 does not. */
const VDI_SIGNATURE = 0xbeda107f;
const VDI_SIGNATURE_AT = 0x40;

/** The VM disk format a file starts with (qcow2, vmdk, vdi, vhdx, dynamic vhd), if any (pure). */
export function detectVmDisk(head: Buffer): string | undefined {
  if (head.length >= VDI_SIGNATURE_AT + 4 && head.readUInt32LE(VDI_SIGNATURE_AT) === VDI_SIGNATURE) return 'vdi';
  return VM_DISKS.find(([, magic]) => head.subarray(0, magic.length).equals(magic))?.[0];
}
