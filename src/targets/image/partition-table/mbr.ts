import type { ReadBytes, TableEntry } from './types';

// The DOS partition table (MBR) and the EBR chain of an extended partition, numbered as Linux numbers them
// (block/partitions/msdos.c: primaries 1-4 by slot, logical partitions 5 and up in chain order).

/** Bytes in an MBR or EBR sector. */
export const MBR_SECTOR_BYTES = 512;
/** Type byte of the GPT protective entry. */
export const MBR_TYPE_GPT = 0xee;
const TABLE_AT = 0x1be;
const ENTRY_BYTES = 16;
/** A guard against cycles and absurd chains (Linux stops at its partition limit too). */
const MAX_LOGICAL = 128;

/** One of the four entries of an MBR or EBR. */
export interface MbrEntry {
  readonly slot: number;
  readonly bootFlag: number;
  readonly type: number;
  readonly startLba: number;
  readonly sectors: number;
}

/** DOS, Windows (LBA) and Linux extended partition types. */
export function isExtendedType(type: number): boolean {
  return type === 0x05 || type === 0x0f || type === 0x85;
}

/**
 * The four entries of an MBR or EBR sector (pure); undefined without the 0x55AA signature or, for an MBR
 * (`strict`), when a boot flag is neither 0 nor 0x80: then it is a FAT boot sector, not a table (msdos.c).
 */
export function parseMbrSector(sector: Buffer, strict: boolean): MbrEntry[] | undefined {
  if (sector.length < MBR_SECTOR_BYTES || sector.readUInt16LE(510) !== 0xaa55) return undefined;
  const entries: MbrEntry[] = [];
  for (let slot = 0; slot < 4; slot += 1) {
    const at = TABLE_AT + slot * ENTRY_BYTES;
    const bootFlag = sector.readUInt8(at);
    if (strict && bootFlag !== 0 && bootFlag !== 0x80) return undefined;
    entries.push({ slot, bootFlag, type: sector.readUInt8(at + 4), startLba: sector.readUInt32LE(at + 8), sectors: sector.readUInt32LE(at + 12) });
  }
  return entries;
}

function entryOf(index: number, type: number, firstLba: number, sectors: number): TableEntry {
  return { index, firstLba, lastLba: firstLba + sectors - 1, name: null, type: `0x${type.toString(16).padStart(2, '0')}`, uuid: null };
}

/**
 * Linux's partitions of an MBR: each non-empty primary entry by slot (the extended container itself left out),
 * then the logical partitions found by walking the extended partition's EBR chain. Each EBR's data entry
 * starts relative to that EBR, its link entry relative to the extended partition's start.
 */
export async function readMbrPartitions(primary: readonly MbrEntry[], read: ReadBytes, sectorBytes: number): Promise<{ entries: TableEntry[]; notes: string[] }> {
  const entries: TableEntry[] = [];
  const notes: string[] = [];
  let extended: MbrEntry | undefined;
  for (const e of primary) {
    if (e.sectors === 0 || e.type === 0) continue;
    if (isExtendedType(e.type)) extended ??= e;
    else entries.push(entryOf(e.slot + 1, e.type, e.startLba, e.sectors));
  }
  if (extended === undefined) return { entries, notes };
  const seen = new Set<number>();
  let ebrLba = extended.startLba;
  let next = 5;
  for (;;) {
    if (seen.has(ebrLba) || seen.size >= MAX_LOGICAL) {
      notes.push(`The extended partition's chain of logical partitions loops back (at sector ${ebrLba}); read up to there`);
      break;
    }
    seen.add(ebrLba);
    const ebr = parseMbrSector(await read(MBR_SECTOR_BYTES, ebrLba * sectorBytes), false);
    if (ebr === undefined) {
      notes.push(`The extended partition's boot record at sector ${ebrLba} is missing or damaged; logical partitions after it are not listed`);
      break;
    }
    let link: MbrEntry | undefined;
    for (const e of ebr) {
      if (e.sectors === 0 || e.type === 0) continue;
      if (isExtendedType(e.type)) link ??= e;
      else entries.push(entryOf(next++, e.type, ebrLba + e.startLba, e.sectors));
    }
    if (link === undefined) break;
    ebrLba = extended.startLba + link.startLba;
  }
  return { entries, notes };
}
