import { getPartitions } from 'partitioninfo';
import { detectFs, PROBE_SIZE_BYTES } from './fs-detect';
import type { ImageDisk } from './image-disk';
import type { ImageLayout, ImagePartition } from './layout';

/** Reads the partition table (GPT or MBR) and recognises each partition's filesystem. */
export async function probeImage(disk: ImageDisk): Promise<ImageLayout> {
  let table: Awaited<ReturnType<typeof getPartitions>> | undefined;
  try {
    table = await getPartitions(disk, { includeExtended: false });
  } catch {
    table = undefined; // no MBR signature: maybe a bare filesystem (a partition device or a dump of one)
  }
  if (table === undefined || table.partitions.length === 0) {
    const found = detectFs(await disk.readRaw(PROBE_SIZE_BYTES, 0));
    if (found.ext === undefined) return { table: table?.type ?? 'none', partitions: [] };
    const whole: ImagePartition = { index: 0, name: null, label: found.label, fsType: found.fsType,
      offsetBytes: 0, sizeBytes: found.ext.sizeBytes, ext: found.ext };
    return { table: 'none', partitions: [whole] };
  }
  const partitions: ImagePartition[] = [];
  for (const p of table.partitions) {
    const found = detectFs(await disk.readRaw(PROBE_SIZE_BYTES, p.offset));
    const name = 'name' in p && p.name !== '' ? p.name : null;
    partitions.push({ index: p.index, name, label: found.label, fsType: found.fsType, offsetBytes: p.offset,
      sizeBytes: p.size, ext: found.ext });
  }
  return { table: table.type, partitions };
}
