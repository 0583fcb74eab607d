import type { Stats } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { UsageError } from '../../errors/usage-error';

/** Bytes read from a file given as --config to tell a disk image from a settings file. */
export const SNIFF_BYTES = 4096;

/** The disk formats a file given to --config may turn out to be. */
export type DiskImageKind = 'GPT partition table' | 'MBR partition table' | 'ext2/3/4 filesystem';

/**
 * What the first bytes of a file say about it (pure): a GPT header ("EFI PART" at LBA 1, checked first
 * because a GPT disk also has a protective MBR), an ext superblock (magic 0xEF53 at 1024 + 56), or an MBR
 * boot signature (0x55 0xAA at 510). Sources: UEFI 2.10 §5.3.2, §5.2.1; Linux ext4 on-disk layout.
 */
export function sniffDiskImage(head: Uint8Array): DiskImageKind | undefined {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.length >= 520 && bytes.toString('latin1', 512, 520) === 'EFI PART') return 'GPT partition table';
  if (bytes.length >= 1082 && bytes.readUInt16LE(1080) === 0xef53) return 'ext2/3/4 filesystem';
  if (bytes.length >= 512 && bytes[510] === 0x55 && bytes[511] === 0xaa) return 'MBR partition table';
  return undefined;
}

/** The usage error for a --config that names a file or device instead of a folder (pure). */
export function configFileError(dir: string, kind: DiskImageKind | 'block device' | undefined): UsageError {
  const folder = '--config names a Home Assistant config folder (as hass --config does)';
  if (kind !== undefined) {
    return new UsageError(`${folder}, and ${dir} is a ${kind === 'block device' ? 'block device' : `file that looks like a disk image (${kind})`}.`, `For an SD card, disk or image, use --image ${dir}`);
  }
  return new UsageError(
    `${folder}, and ${dir} is a file.`,
    "It is not the ha CLI's settings file (~/.homeassistant.yaml). Point --config at the folder that holds .storage (e.g. /config), or use --image for a disk image.",
  );
}

/** Reads at most the first {@link SNIFF_BYTES} of `path` (read-only) and builds the error for it. */
export async function explainConfigFile(dir: string, path: string, stat: Stats): Promise<UsageError> {
  if (stat.isBlockDevice()) return configFileError(dir, 'block device');
  const handle = await fsp.open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return configFileError(dir, sniffDiskImage(head.subarray(0, bytesRead)));
  } finally {
    await handle.close();
  }
}
