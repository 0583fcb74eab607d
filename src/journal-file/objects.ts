import { decompress } from 'fzstd';
import { id128, u64 } from './header';
import { JournalFileError } from './journal-file-error';

// Objects of a journal file (systemd docs/JOURNAL_FILE_FORMAT.md, "Objects"): every read is checked
// (alignment, bounds, type, size), so a torn tail reads as "no object here" rather than as garbage.

/** Object types (JOURNAL_FILE_FORMAT.md, "Structure"). */
export const OBJECT = { data: 1, field: 2, entry: 3, entryArray: 6 } as const;
/** DATA object compression flags (ObjectHeader.flags). */
const COMPRESSED = { xz: 1, lz4: 2, zstd: 4 } as const;
/** ObjectHeader: type u8, flags u8, reserved[6], size le64. */
export const OBJECT_HEADER_BYTES = 16;
/** EntryObject before its items: header, seqnum, realtime, monotonic, boot_id, xor_hash. */
const ENTRY_ITEMS_AT = 64;
/** DataObject before its payload: header + hash, next_hash, next_field, entry, entry_array, n_entries (+ compact tail fields). */
const DATA_PAYLOAD_AT = { regular: 64, compact: 72 } as const;

/** The header fields of an ENTRY that order and filter entries, and the offsets of its DATA objects. */
export interface EntryObject {
  readonly offset: number;
  readonly seqnum: number;
  readonly realtime: number;
  readonly monotonic: number;
  readonly bootId: string;
  /** xor_hash as 16 hex digits, for the last tie-break of the ordering. */
  readonly xorHash: string;
  readonly items: readonly number[];
}

/** True when `offset` may hold an object of `size` bytes in a file of `fileSize` bytes. */
export function validObjectPlace(offset: number, size: number, fileSize: number, minSize: number): boolean {
  return offset > 0 && offset % 8 === 0 && size >= minSize && offset + size <= fileSize;
}

/** Parses an ENTRY object's bytes (pure); undefined when they are not one. */
export function parseEntry(bytes: Buffer, offset: number, compact: boolean): EntryObject | undefined {
  if (bytes.length < ENTRY_ITEMS_AT || bytes.readUInt8(0) !== OBJECT.entry) return undefined;
  const size = u64(bytes, 8);
  if (size < ENTRY_ITEMS_AT || size > bytes.length) return undefined;
  const itemBytes = compact ? 4 : 16;
  const items: number[] = [];
  for (let at = ENTRY_ITEMS_AT; at + itemBytes <= size; at += itemBytes) items.push(compact ? bytes.readUInt32LE(at) : u64(bytes, at));
  return {
    offset,
    seqnum: u64(bytes, 16),
    realtime: u64(bytes, 24),
    monotonic: u64(bytes, 32),
    bootId: id128(bytes, 40),
    xorHash: bytes.toString('hex', 56, 64).match(/../g)?.reverse().join('') ?? '',
    items,
  };
}

/** The payload (`FIELD=value`) of a DATA object's bytes, decompressed (pure); undefined when they are not one. */
export function parseDataPayload(bytes: Buffer, compact: boolean, name: string): Buffer | undefined {
  if (bytes.length < OBJECT_HEADER_BYTES || bytes.readUInt8(0) !== OBJECT.data) return undefined;
  const size = u64(bytes, 8);
  const start = compact ? DATA_PAYLOAD_AT.compact : DATA_PAYLOAD_AT.regular;
  if (size < start || size > bytes.length) return undefined;
  const payload = bytes.subarray(start, size);
  const flags = bytes.readUInt8(1);
  if ((flags & COMPRESSED.zstd) !== 0) return Buffer.from(decompress(payload));
  if ((flags & COMPRESSED.xz) !== 0) throw compressionError(name, 'XZ');
  if ((flags & COMPRESSED.lz4) !== 0) throw compressionError(name, 'LZ4');
  return payload;
}

function compressionError(name: string, kind: string): JournalFileError {
  return new JournalFileError(`${name} holds ${kind}-compressed journal entries, which this reader does not decompress (only zstd)`, {
    hint: `Read it on a Linux machine with journalctl --file ${name.split('/').pop() ?? name}.`,
  });
}
