import { HaError } from '../../errors/ha-error';
import { detectVmDisk } from './fs-detect';
import {
  DATA_FS_LABEL, DATA_PARTITION_NAMES, findDataLabelled, findRetiredDataPartition, partitionName, pickDataPartition, requiredBytes,
  type ImageLayout, type ImagePartition,
} from './layout';

// The checks made before an image is touched: each refusal is one line and a hint, and nothing is written.

const COMPRESSED: readonly (readonly [string, Buffer])[] = [
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['gzip', Buffer.from([0x1f, 0x8b])],
  ['zip', Buffer.from('PK\u0003\u0004', 'latin1')],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ['bzip2', Buffer.from('BZh', 'latin1')],
];

/** Human size, e.g. `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? ''}`;
}

/** The device or `file?offset=N` form debugfs accepts for a partition (e2fsck too, but not after a journal recovery). */
export function fsckTarget(path: string, partition: ImagePartition, blockDevice: boolean): string {
  if (!blockDevice) return partition.offsetBytes === 0 ? `'${path}'` : `'${path}?offset=${partition.offsetBytes}'`;
  if (partition.index === 0) return path;
  return /\d$/.test(path) ? `${path}p${partition.index}` : `${path}${partition.index}`;
}

/**
 * How to run e2fsck on the data partition, as a phrase for hints. An image file's partition goes through a
 * loop device: e2fsck's `file?offset=N` spelling loses the offset when it re-opens after a journal recovery.
 */
export function repairCommand(path: string, partition: ImagePartition, blockDevice: boolean): string {
  if (blockDevice || partition.offsetBytes === 0) return `"e2fsck -fy ${fsckTarget(path, partition, blockDevice)}"`;
  return `"sudo losetup -fP --show '${path}'" and then "sudo e2fsck -fy /dev/loopNp${partition.index}" (loopN as losetup prints it)`;
}

function checkFormat(path: string, head: Buffer, layout: ImageLayout): void {
  const vm = detectVmDisk(head);
  if (vm !== undefined) {
    throw new HaError(`${path} is a VM disk (${vm}), not a raw disk image`, {
      hint: `convert it with: qemu-img convert -O raw ${path} haos.img`,
    });
  }
  const compressed = COMPRESSED.find(([, magic]) => head.subarray(0, magic.length).equals(magic));
  if (compressed !== undefined && layout.partitions.length === 0) {
    throw new HaError(`${path} is a ${compressed[0]}-compressed file, not a disk image`, {
      hint: `Decompress it first (e.g. "${compressed[0] === 'xz' ? 'xz -dk' : compressed[0] === 'zip' ? 'unzip' : `${compressed[0]} -dk`} ${path}") and give the .img file.`,
    });
  }
  if (layout.partitions.length === 0 && layout.table !== 'none') {
    throw new HaError(`${path} has a ${layout.table.toUpperCase()} partition table but no usable partitions (${layout.notes.join('; ') || 'the table is empty'})`, {
      hint: 'The partition table is damaged: copy the card again, or repair the table (gdisk, testdisk) on a copy.',
    });
  }
  if (layout.partitions.length === 0) {
    throw new HaError(`${path} is not a disk image: no partition table and no ext4 filesystem found`, {
      hint: 'Give a whole SD card or disk image (e.g. haos_rpi4-64.img, /dev/sdb) or the data partition itself.',
    });
  }
}

const sectorRange = (p: ImagePartition): string => `bytes ${p.offsetBytes}-${p.offsetBytes + p.sizeBytes}`;

/** Refuses a data partition whose table entry is damaged or overlaps another, or whose ext4 is larger than it. */
function checkBounds(path: string, data: ImagePartition, layout: ImageLayout): void {
  const hint = 'The partition table and the filesystem disagree; writing could overwrite another partition. Repair the table on a copy first (gdisk, testdisk, or e2fsck for the filesystem).';
  if (data.sizeBytes <= 0) {
    throw new HaError(`${path}: the table entry of partition ${partitionName(data)} ends before it starts (${sectorRange(data)}); not using it`, { hint });
  }
  const end = data.offsetBytes + data.sizeBytes;
  const other = layout.partitions.find((p) => p !== data && p.sizeBytes > 0 && p.offsetBytes < end && data.offsetBytes < p.offsetBytes + p.sizeBytes);
  if (other !== undefined) {
    throw new HaError(`${path}: partition ${partitionName(data)} (${sectorRange(data)}) overlaps partition ${partitionName(other)} (${sectorRange(other)}); not using it`, { hint });
  }
  if (data.ext !== undefined && data.ext.sizeBytes > data.sizeBytes) {
    throw new HaError(`${path}: the ext4 filesystem of partition ${partitionName(data)} (${formatBytes(data.ext.sizeBytes)}) is larger than the partition (${formatBytes(data.sizeBytes)}); not using it`, { hint });
  }
}

/** Where the data partition is, or why this is not a usable HAOS image (`head`: its first bytes). */
export function locateDataPartition(path: string, head: Buffer, layout: ImageLayout, capacityBytes: number): ImagePartition {
  checkFormat(path, head, layout);
  const required = requiredBytes(layout);
  if (required > capacityBytes) {
    throw new HaError(`${path} is truncated: its partition table needs ${formatBytes(required)} but it has ${formatBytes(capacityBytes)}`, {
      hint: 'The copy or download was cut short: copy the card or download the image again.',
    });
  }
  const labelled = findDataLabelled(layout);
  if (labelled.length > 1) {
    throw new HaError(`${path} has ${labelled.length} partitions labelled ${DATA_FS_LABEL}: ${labelled.map(partitionName).join(' and ')}; not guessing which one Home Assistant uses`, {
      hint: 'Give the partition itself (e.g. /dev/sdb8, or a copy of it), or relabel the one not in use (e2label DEVICE hassos-data-old).',
    });
  }
  const data = pickDataPartition(layout);
  const retired = findRetiredDataPartition(layout);
  if (data === undefined && retired !== undefined) {
    throw new HaError(`${path} holds only an old copy of the data partition (partition ${partitionName(retired)} is labelled ${retired.label ?? ''}): the data was moved to another disk`, {
      hint: 'Use the disk the data was moved to (its partition is named hassos-data-external); this copy is not what Home Assistant uses.',
    });
  }
  if (data === undefined) {
    const found = layout.partitions.map(partitionName).join(', ');
    throw new HaError(`${path} has no Home Assistant data partition (found: ${found})`, {
      hint: `The data partition is an ext4 filesystem labelled ${DATA_FS_LABEL} (partition ${DATA_PARTITION_NAMES.join(' or ')}); is this a Home Assistant OS disk?`,
    });
  }
  checkBounds(path, data, layout);
  return data;
}

/** Refuses to write a data partition whose filesystem is not known to be consistent (a pending journal is fine: it is replayed). */
export function checkWritable(path: string, partition: ImagePartition, blockDevice: boolean): void {
  const ext = partition.ext;
  const repair = repairCommand(path, partition, blockDevice);
  if (ext === undefined) throw new Error('checkWritable: not an ext partition');
  if (ext.checksumOk === false) {
    throw new HaError(`The data partition's superblock checksum is wrong; not writing to it`, {
      hint: `Check it with ${repair} first.`,
    });
  }
  if (ext.journalDevice) throw new HaError('The data partition is an external journal, not a filesystem');
  // A journal that needs recovery (power pulled) is replayed by the session before it writes.
  if (!ext.clean) {
    throw new HaError('The data partition was not cleanly unmounted (an earlier write was interrupted, or power was lost); not writing to it', {
      hint: `Repair it with ${repair} (the device also does this when it boots), then try again.`,
    });
  }
  if (ext.hasErrors) {
    throw new HaError('The data partition has filesystem errors recorded; not writing to it', {
      hint: `Repair it with ${repair}, then try again.`,
    });
  }
}
