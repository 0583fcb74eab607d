import { crc32 } from 'node:zlib';
import type { TableEntry } from './types';

// GUID Partition Table header and entries (UEFI spec 2.10 §5.3), checked as Linux's block/partitions/efi.c
// is_gpt_valid() checks them: signature, header size, header CRC32, MyLBA, usable range, entry size, entries CRC32.

/** Signature at the start of a GPT header. */
export const GPT_SIGNATURE = 'EFI PART';
const HEADER_MIN_BYTES = 92;
const ENTRY_MIN_BYTES = 128;
/** Refuse entry arrays larger than this (a damaged count; the usual array is 16 KiB). */
const MAX_ENTRIES_BYTES = 4 * 1024 * 1024;

/** The fields of a valid GPT header. */
export interface GptHeader {
  readonly myLba: number;
  readonly alternateLba: number;
  readonly entriesLba: number;
  readonly entryCount: number;
  readonly entryBytes: number;
  readonly entriesCrc: number;
}

function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.NaN : Number(value);
}

/** A GUID as text: the first three fields are little-endian on disk (pure). */
export function formatGuid(bytes: Buffer): string {
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

/** Parses and checks a GPT header sector read at `lba` (pure); a reason string when it is not valid. */
export function parseGptHeader(sector: Buffer, lba: number): GptHeader | string {
  if (sector.length < HEADER_MIN_BYTES || sector.subarray(0, 8).toString('latin1') !== GPT_SIGNATURE) return 'no GPT signature';
  const headerBytes = sector.readUInt32LE(12);
  if (headerBytes < HEADER_MIN_BYTES || headerBytes > sector.length) return `header size ${headerBytes} is not plausible`;
  const copy = Buffer.from(sector.subarray(0, headerBytes));
  copy.writeUInt32LE(0, 16);
  if (crc32(copy) !== sector.readUInt32LE(16)) return 'header checksum (CRC32) mismatch';
  const myLba = safeNumber(sector.readBigUInt64LE(24));
  if (myLba !== lba) return `header says it is at sector ${myLba}, not ${lba}`;
  const firstUsable = safeNumber(sector.readBigUInt64LE(40));
  const lastUsable = safeNumber(sector.readBigUInt64LE(48));
  if (!(firstUsable <= lastUsable)) return 'usable sector range is empty';
  const entryCount = sector.readUInt32LE(80);
  const entryBytes = sector.readUInt32LE(84);
  if (entryBytes < ENTRY_MIN_BYTES || entryBytes % ENTRY_MIN_BYTES !== 0) return `partition entry size ${entryBytes} is not valid`;
  if (entryCount * entryBytes > MAX_ENTRIES_BYTES) return `${entryCount} partition entries is not plausible`;
  const entriesLba = safeNumber(sector.readBigUInt64LE(72));
  if (Number.isNaN(entriesLba)) return 'partition entries are beyond any disk';
  return { myLba, alternateLba: safeNumber(sector.readBigUInt64LE(32)), entriesLba, entryCount, entryBytes, entriesCrc: sector.readUInt32LE(88) };
}

/** The used entries of a GPT entry array (pure), numbered index + 1; a reason string when its CRC32 is wrong. */
export function parseGptEntries(array: Buffer, header: GptHeader): TableEntry[] | string {
  const length = header.entryCount * header.entryBytes;
  if (array.length < length) return 'partition entries are cut off';
  if (crc32(array.subarray(0, length)) !== header.entriesCrc) return 'partition entries checksum (CRC32) mismatch';
  const entries: TableEntry[] = [];
  for (let i = 0; i < header.entryCount; i += 1) {
    const entry = array.subarray(i * header.entryBytes, (i + 1) * header.entryBytes);
    const type = entry.subarray(0, 16);
    if (type.every((byte) => byte === 0)) continue;
    const firstLba = safeNumber(entry.readBigUInt64LE(32));
    const lastLba = safeNumber(entry.readBigUInt64LE(40));
    if (Number.isNaN(firstLba) || Number.isNaN(lastLba)) continue;
    const nameBytes = entry.subarray(56, 128);
    let end = 0;
    while (end + 1 < nameBytes.length && nameBytes.readUInt16LE(end) !== 0) end += 2;
    const name = nameBytes.subarray(0, end).toString('utf16le');
    entries.push({ index: i + 1, firstLba, lastLba, name: name === '' ? null : name, type: formatGuid(type), uuid: formatGuid(entry.subarray(16, 32)) });
  }
  return entries;
}
