import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatGuid, parseGptHeader } from '../../src/targets/image/partition-table/gpt';
import { readPartitionTable } from '../../src/targets/image/partition-table/read-table';
import type { PartitionTable } from '../../src/targets/image/partition-table/types';

// The partition-table reader on crafted disks: every table byte written here from the UEFI and DOS layouts.

const SECTOR = 512;
const DISK_SECTORS = 8192;
const LINUX = '0fc63daf-8483-4772-8e79-3d69d8477de4';
const ESP = 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b';
const DATA_UUID = 'a52a4597-fa3a-4851-aefd-2fbe9f849079';

function guidBytes(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

function mbrEntry(disk: Buffer, sectorAt: number, slot: number, type: number, start: number, sectors: number, boot = 0): void {
  const at = sectorAt * SECTOR + 0x1be + slot * 16;
  disk.writeUInt8(boot, at);
  disk.writeUInt8(type, at + 4);
  disk.writeUInt32LE(start, at + 8);
  disk.writeUInt32LE(sectors, at + 12);
  disk.writeUInt16LE(0xaa55, sectorAt * SECTOR + 510);
}

interface GptPart { readonly first: number; readonly last: number; readonly name: string; readonly type?: string; readonly uuid?: string; readonly slot?: number }

/** Writes a GPT (header at `headerLba`, 128 entries of 128 bytes at `entriesLba`) with correct CRCs. */
function writeGpt(disk: Buffer, headerLba: number, entriesLba: number, alternateLba: number, parts: readonly GptPart[]): void {
  const entries = Buffer.alloc(128 * 128);
  parts.forEach((p, i) => {
    const at = (p.slot ?? i) * 128;
    guidBytes(p.type ?? LINUX).copy(entries, at);
    guidBytes(p.uuid ?? `00000000-0000-4000-8000-00000000000${i}`).copy(entries, at + 16);
    entries.writeBigUInt64LE(BigInt(p.first), at + 32);
    entries.writeBigUInt64LE(BigInt(p.last), at + 40);
    Buffer.from(p.name, 'utf16le').copy(entries, at + 56);
  });
  entries.copy(disk, entriesLba * SECTOR);
  const h = Buffer.alloc(92);
  h.write('EFI PART', 0, 'latin1');
  h.writeUInt32LE(0x00010000, 8);
  h.writeUInt32LE(92, 12);
  h.writeBigUInt64LE(BigInt(headerLba), 24);
  h.writeBigUInt64LE(BigInt(alternateLba), 32);
  h.writeBigUInt64LE(34n, 40);
  h.writeBigUInt64LE(BigInt(DISK_SECTORS - 34), 48);
  h.writeBigUInt64LE(BigInt(entriesLba), 72);
  h.writeUInt32LE(128, 80);
  h.writeUInt32LE(128, 84);
  h.writeUInt32LE(crc32(entries), 88);
  h.writeUInt32LE(crc32(h), 16);
  h.copy(disk, headerLba * SECTOR);
}

/** Primary and backup GPT as genimage writes them. */
function writeBothGpts(disk: Buffer, parts: readonly GptPart[]): void {
  writeGpt(disk, 1, 2, DISK_SECTORS - 1, parts);
  writeGpt(disk, DISK_SECTORS - 1, DISK_SECTORS - 33, 1, parts);
}

const HAOS_LIKE: GptPart[] = [
  { first: 2048, last: 4095, name: 'hassos-boot', type: ESP },
  { first: 4096, last: 5119, name: 'hassos-overlay' },
  { first: 5120, last: 8000, name: 'hassos-data', uuid: DATA_UUID },
];

async function read(disk: Buffer): Promise<PartitionTable> {
  return readPartitionTable(async (length, position) => disk.subarray(position, position + length), disk.length);
}
const summary = (t: PartitionTable): string[] => t.entries.map((e) => `${e.index}:${e.name ?? e.type}:${e.firstLba}-${e.lastLba}`);

describe('readPartitionTable', () => {
  it('hybrid MBR (0x0C boot in entry 0, 0xEE in entry 1): the whole GPT, as Linux reads it', async () => {
    const disk = Buffer.alloc(DISK_SECTORS * SECTOR);
    mbrEntry(disk, 0, 0, 0x0c, 2048, 2048);
    mbrEntry(disk, 0, 1, 0xee, 1, 33);
    writeBothGpts(disk, HAOS_LIKE);
    const table = await read(disk);
    expect(table.kind).toBe('hybrid');
    expect(table.notes).toEqual([]);
    expect(summary(table)).toEqual(['1:hassos-boot:2048-4095', '2:hassos-overlay:4096-5119', '3:hassos-data:5120-8000']);
    expect(table.entries[2]).toMatchObject({ type: LINUX, uuid: DATA_UUID });
    expect(table.entries[0]?.type).toBe(ESP);
  });

  it.each([2, 3])('0xEE in MBR entry %i still means GPT', async (slot) => {
    const disk = Buffer.alloc(DISK_SECTORS * SECTOR);
    mbrEntry(disk, 0, 0, 0x0c, 2048, 2048);
    mbrEntry(disk, 0, slot, 0xee, 1, DISK_SECTORS - 1);
    writeBothGpts(disk, HAOS_LIKE);
    const table = await read(disk);
    expect(table.kind).toBe('hybrid');
    expect(table.entries.map((e) => e.name)).toEqual(['hassos-boot', 'hassos-overlay', 'hassos-data']);
  });

  it('protective MBR only: plain GPT, numbered by entry index + 1 (gaps kept)', async () => {
    const disk = Buffer.alloc(DISK_SECTORS * SECTOR);
    mbrEntry(disk, 0, 0, 0xee, 1, DISK_SECTORS - 1);
    writeBothGpts(disk, [HAOS_LIKE[0] as GptPart, { ...(HAOS_LIKE[2] as GptPart), slot: 7 }]);
    const table = await read(disk);
    expect(table.kind).toBe('gpt');
    expect(summary(table)).toEqual(['1:hassos-boot:2048-4095', '8:hassos-data:5120-8000']);
  });

  it('a damaged primary GPT (header CRC) is read from the backup, and says so', async () => {
    const disk = Buffer.alloc(DISK_SECTORS * SECTOR);
    mbrEntry(disk, 0, 0, 0xee, 1, DISK_SECTORS - 1);
    writeBothGpts(disk, HAOS_LIKE);
    disk.writeUInt8(disk.readUInt8(SECTOR + 40) ^ 1, SECTOR + 40);
    const table = await read(disk);
    expect(table.kind).toBe('gpt');
    expect(table.entries.map((e) => e.name)).toEqual(['hassos-boot', 'hassos-overlay', 'hassos-data']);
    expect(table.notes).toEqual(['The primary GPT is damaged (header checksum (CRC32) mismatch); using the backup GPT at the end of the disk']);
  });

  it('damaged primary entries (entries CRC) fall back too; both damaged gives no partitions and a note', async () => {
    const disk = Buffer.alloc(DISK_SECTORS * SECTOR);
    mbrEntry(disk, 0, 0, 0xee, 1, DISK_SECTORS - 1);
    writeBothGpts(disk, HAOS_LIKE);
    disk.writeUInt8(0x41, 2 * SECTOR + 56);
    const once = await read(disk);
    expect(once.notes[0]).toMatch(/primary GPT is damaged \(partition entries checksum/);
    expect(once.entries).toHaveLength(3);
    disk.writeUInt8(0x41, (DISK_SECTORS - 33) * SECTOR + 56);
    const twice = await read(disk);
    expect(twice.entries).toEqual([]);
    expect(twice.notes[0]).toMatch(/^No valid GPT: the primary's partition entries checksum .* the backup's partition entries checksum/);
  });

  it('a GPT on 4096-byte sectors', async () => {
    const big = 4096;
    const disk = Buffer.alloc(64 * big);
    mbrEntry(disk, 0, 0, 0xee, 1, 63);
    const h = Buffer.alloc(SECTOR * 8);
    const entries = Buffer.alloc(128 * 128);
    guidBytes(LINUX).copy(entries, 0);
    entries.writeBigUInt64LE(10n, 32);
    entries.writeBigUInt64LE(20n, 40);
    Buffer.from('hassos-data', 'utf16le').copy(entries, 56);
    entries.copy(disk, 2 * big);
    h.write('EFI PART', 0, 'latin1');
    h.writeUInt32LE(92, 12);
    h.writeBigUInt64LE(1n, 24);
    h.writeBigUInt64LE(6n, 40);
    h.writeBigUInt64LE(58n, 48);
    h.writeBigUInt64LE(2n, 72);
    h.writeUInt32LE(128, 80);
    h.writeUInt32LE(128, 84);
    h.writeUInt32LE(crc32(entries), 88);
    h.writeUInt32LE(crc32(h.subarray(0, 92)), 16);
    h.copy(disk, big);
    const table = await read(disk);
    expect(table.sectorSizeBytes).toBe(4096);
    expect(summary(table)).toEqual(['1:hassos-data:10-20']);
  });

  it('MBR with an extended partition: primaries by slot, logical partitions 5 and up along the EBR chain', async () => {
    const disk = Buffer.alloc(DISK_SECTORS * SECTOR);
    // ODROID layout in miniature: boot 1, extended 2 (logical 5, 6, 7), overlay 3, data 4.
    mbrEntry(disk, 0, 0, 0x0c, 100, 100, 0x80);
    mbrEntry(disk, 0, 1, 0x0f, 1000, 3000);
    mbrEntry(disk, 0, 2, 0x83, 4000, 1000);
    mbrEntry(disk, 0, 3, 0x83, 5000, 3000);
    mbrEntry(disk, 1000, 0, 0x83, 2, 500); // EBR at 1000: logical at 1002, link to EBR at 1000 + 600
    mbrEntry(disk, 1000, 1, 0x05, 600, 800);
    mbrEntry(disk, 1600, 0, 0x83, 2, 500);
    mbrEntry(disk, 1600, 1, 0x05, 1200, 800);
    mbrEntry(disk, 2200, 0, 0x83, 2, 100);
    const table = await read(disk);
    expect(table.kind).toBe('mbr');
    expect(table.notes).toEqual([]);
    expect(summary(table)).toEqual(['1:0x0c:100-199', '3:0x83:4000-4999', '4:0x83:5000-7999', '5:0x83:1002-1501', '6:0x83:1602-2101', '7:0x83:2202-2301']);
  });

  it('an EBR chain that loops back ends with a note, keeping what it found', async () => {
    const disk = Buffer.alloc(DISK_SECTORS * SECTOR);
    mbrEntry(disk, 0, 0, 0x05, 1000, 3000);
    mbrEntry(disk, 1000, 0, 0x83, 2, 100);
    mbrEntry(disk, 1000, 1, 0x05, 600, 800);
    mbrEntry(disk, 1600, 0, 0x83, 2, 100);
    mbrEntry(disk, 1600, 1, 0x05, 0, 800); // back to the first EBR
    const table = await read(disk);
    expect(summary(table)).toEqual(['5:0x83:1002-1101', '6:0x83:1602-1701']);
    expect(table.notes).toEqual(['The extended partition\'s chain of logical partitions loops back (at sector 1000); read up to there']);
  });

  it('no table: no signature, or a FAT boot sector (boot flags not 0/0x80)', async () => {
    expect((await read(Buffer.alloc(4 * SECTOR))).kind).toBe('none');
    const fat = Buffer.alloc(4 * SECTOR);
    mbrEntry(fat, 0, 0, 0x0c, 1, 2, 0x12);
    expect((await read(fat)).kind).toBe('none');
  });

  it('keeps a damaged entry that ends before it starts, for the bounds check to refuse', async () => {
    const disk = Buffer.alloc(DISK_SECTORS * SECTOR);
    mbrEntry(disk, 0, 0, 0xee, 1, DISK_SECTORS - 1);
    writeBothGpts(disk, [{ first: 6000, last: 5000, name: 'hassos-data' }]);
    expect(summary(await read(disk))).toEqual(['1:hassos-data:6000-5000']);
  });
});

describe('GPT pieces', () => {
  it('formats GUIDs mixed-endian as on disk', () => {
    expect(formatGuid(guidBytes(DATA_UUID))).toBe(DATA_UUID);
  });
  it('refuses a header that claims another position', () => {
    const disk = Buffer.alloc(DISK_SECTORS * SECTOR);
    writeBothGpts(disk, HAOS_LIKE);
    expect(parseGptHeader(disk.subarray(SECTOR, 2 * SECTOR), 2)).toBe('header says it is at sector 1, not 2');
    expect(parseGptHeader(Buffer.alloc(SECTOR), 1)).toBe('no GPT signature');
  });
});
