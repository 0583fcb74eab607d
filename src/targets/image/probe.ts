import { detectFs, PROBE_SIZE_BYTES } from './fs-detect';
import type { ImageDisk } from './image-disk';
import type { ImageLayout, ImagePartition } from './layout';
import { readPartitionTable } from './partition-table/read-table';

/** Reads the partition table (GPT, hybrid MBR, MBR with extended) and recognises each partition's filesystem. */
export async function probeImage(disk: ImageDisk): Promise<ImageLayout> {
  const read = (length: number, position: number): Promise<Buffer> => disk.readRaw(length, position);
  const table = await readPartitionTable(read, await disk.getCapacity());
  if (table.kind === 'none') {
    // No table: maybe a bare filesystem (a partition device or a dump of one).
    const found = detectFs(await read(PROBE_SIZE_BYTES, 0));
    if (found.ext === undefined) return { table: 'none', partitions: [], notes: [] };
    const whole: ImagePartition = { index: 0, name: null, type: null, uuid: null, label: found.label, fsType: found.fsType,
      offsetBytes: 0, sizeBytes: found.ext.sizeBytes, ext: found.ext };
    return { table: 'none', partitions: [whole], notes: [] };
  }
  const partitions: ImagePartition[] = [];
  for (const entry of table.entries) {
    const offsetBytes = entry.firstLba * table.sectorSizeBytes;
    const found = detectFs(await read(PROBE_SIZE_BYTES, offsetBytes));
    partitions.push({ index: entry.index, name: entry.name, type: entry.type, uuid: entry.uuid, label: found.label, fsType: found.fsType,
      offsetBytes, sizeBytes: (entry.lastLba - entry.firstLba + 1) * table.sectorSizeBytes, ext: found.ext });
  }
  return { table: table.kind, partitions, notes: table.notes };
}
