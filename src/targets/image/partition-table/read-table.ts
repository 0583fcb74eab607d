import { GPT_SIGNATURE, parseGptEntries, parseGptHeader, type GptHeader } from './gpt';
import { MBR_SECTOR_BYTES, MBR_TYPE_GPT, parseMbrSector, readMbrPartitions, type MbrEntry } from './mbr';
import type { PartitionTable, ReadBytes, TableEntry } from './types';

// Reads a disk's partition table the way Linux does (block/partitions/efi.c, msdos.c): the GPT whenever ANY
// MBR entry is type 0xEE (a hybrid MBR puts it in entry 1 or later, after the boot partition), else the MBR
// with its extended partition. Only reads go through `read`; everything else is pure byte parsing.

const NONE: PartitionTable = { kind: 'none', sectorSizeBytes: 512, entries: [], notes: [] };

async function readGptAt(read: ReadBytes, lba: number, sectorBytes: number): Promise<{ header: GptHeader; entries: TableEntry[] } | string> {
  if (lba < 1) return 'no sector for it';
  const header = parseGptHeader(await read(sectorBytes, lba * sectorBytes), lba);
  if (typeof header === 'string') return header;
  const array = await read(header.entryCount * header.entryBytes, header.entriesLba * sectorBytes);
  const entries = parseGptEntries(array, header);
  return typeof entries === 'string' ? entries : { header, entries };
}

/** 512-byte sectors unless the GPT header is only found where 4096-byte sectors put it. */
async function gptSectorBytes(read: ReadBytes): Promise<number> {
  const at512 = (await read(8, 512)).toString('latin1');
  if (at512 === GPT_SIGNATURE) return 512;
  return (await read(8, 4096)).toString('latin1') === GPT_SIGNATURE ? 4096 : 512;
}

async function readGpt(read: ReadBytes, capacityBytes: number, mbr: readonly MbrEntry[]): Promise<PartitionTable> {
  const kind = mbr.some((e) => e.type !== 0 && e.type !== MBR_TYPE_GPT) ? 'hybrid' : 'gpt';
  const sectorSizeBytes = await gptSectorBytes(read);
  const primary = await readGptAt(read, 1, sectorSizeBytes);
  if (typeof primary !== 'string') return { kind, sectorSizeBytes, entries: primary.entries, notes: [] };
  // Linux reads the backup only with the `gpt` boot option; fdisk and gdisk always do, and so do we.
  const lastLba = Math.floor(capacityBytes / sectorSizeBytes) - 1;
  const backup = await readGptAt(read, lastLba, sectorSizeBytes);
  if (typeof backup !== 'string') {
    const note = `The primary GPT is damaged (${primary}); using the backup GPT at the end of the disk`;
    return { kind, sectorSizeBytes, entries: backup.entries, notes: [note] };
  }
  return { kind, sectorSizeBytes, entries: [], notes: [`No valid GPT: the primary's ${primary}, the backup's ${backup}`] };
}

/** Reads the partition table of a disk of `capacityBytes`: GPT, hybrid MBR + GPT, MBR (+ extended), or none. */
export async function readPartitionTable(read: ReadBytes, capacityBytes: number): Promise<PartitionTable> {
  const mbr = parseMbrSector(await read(MBR_SECTOR_BYTES, 0), true);
  if (mbr === undefined) return NONE;
  if (mbr.some((e) => e.type === MBR_TYPE_GPT)) return readGpt(read, capacityBytes, mbr);
  const { entries, notes } = await readMbrPartitions(mbr, read, MBR_SECTOR_BYTES);
  return { kind: entries.length === 0 && notes.length === 0 ? 'none' : 'mbr', sectorSizeBytes: MBR_SECTOR_BYTES, entries, notes };
}
