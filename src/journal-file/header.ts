import { JournalFileError } from './journal-file-error';

// The header of a journal file (systemd docs/JOURNAL_FILE_FORMAT.md, "Header"; byte offsets from the
// packed struct in src/libsystemd/sd-journal/journal-def.h).

/** Incompatible feature bits (JOURNAL_FILE_FORMAT.md, "Extensibility"). */
export const INCOMPATIBLE = { xz: 1, lz4: 2, keyedHash: 4, zstd: 8, compact: 16 } as const;
const KNOWN_INCOMPATIBLE = 31;
/** The header fields up to n_data exist in every version of the format. */
const MIN_HEADER_BYTES = 208;
const SIGNATURE = 'LPKSHHRH';

/** What the reader uses from a header. */
export interface JournalHeader {
  readonly incompatibleFlags: number;
  readonly compact: boolean;
  readonly state: number;
  readonly machineId: string;
  /** file_id: the siphash key of keyed-hash files. */
  readonly fileId: Buffer;
  readonly seqnumId: string;
  /** The files' DATA objects are filed by siphash24 keyed with file_id (else Jenkins lookup3). */
  readonly keyedHash: boolean;
  readonly headerSize: number;
  readonly arenaSize: number;
  readonly tailObjectOffset: number;
  /** The DATA hash table's items (points at the payload, not the object header). */
  readonly dataHashTableOffset: number;
  readonly dataHashTableSize: number;
  /** The FIELD hash table's items (points at the payload, not the object header). */
  readonly fieldHashTableOffset: number;
  readonly fieldHashTableSize: number;
  readonly nEntries: number;
  readonly entryArrayOffset: number;
  /**
   * The last array of the global entry array chain and how many of its items are used (header fields added
   * in systemd 252: le32 tail_entry_array_offset at 256, tail_entry_array_n_entries at 260); 0 when absent.
   */
  readonly tailEntryArrayOffset: number;
  readonly tailEntryArrayNEntries: number;
}

/** A little-endian u64 as a number (journal files never reach 2^53 bytes or microseconds). */
export function u64(bytes: Buffer, at: number): number {
  return bytes.readUInt32LE(at) + bytes.readUInt32LE(at + 4) * 0x1_0000_0000;
}

/** 16 bytes as the 32 hex digits journalctl prints for ids. */
export function id128(bytes: Buffer, at: number): string {
  return bytes.toString('hex', at, at + 16);
}

/** Parses and checks a header (pure): refuses what is no journal file and formats newer than this reader. */
export function parseHeader(bytes: Buffer, name: string): JournalHeader {
  if (bytes.length < MIN_HEADER_BYTES || bytes.toString('latin1', 0, 8) !== SIGNATURE) {
    throw new JournalFileError(`${name} is not a journal file (no LPKSHHRH header)`);
  }
  const incompatibleFlags = bytes.readUInt32LE(12);
  if ((incompatibleFlags & ~KNOWN_INCOMPATIBLE) !== 0) {
    throw new JournalFileError(`${name} uses journal features newer than this reader (incompatible flags 0x${incompatibleFlags.toString(16)})`);
  }
  const headerSize = u64(bytes, 88);
  return {
    incompatibleFlags,
    compact: (incompatibleFlags & INCOMPATIBLE.compact) !== 0,
    state: bytes.readUInt8(16),
    machineId: id128(bytes, 40),
    fileId: Buffer.from(bytes.subarray(24, 40)),
    keyedHash: (incompatibleFlags & INCOMPATIBLE.keyedHash) !== 0,
    seqnumId: id128(bytes, 72),
    headerSize,
    arenaSize: u64(bytes, 96),
    dataHashTableOffset: u64(bytes, 104),
    dataHashTableSize: u64(bytes, 112),
    fieldHashTableOffset: u64(bytes, 120),
    fieldHashTableSize: u64(bytes, 128),
    tailObjectOffset: u64(bytes, 136),
    nEntries: u64(bytes, 152),
    entryArrayOffset: u64(bytes, 176),
    // JOURNAL_HEADER_CONTAINS(): header_size covers the field (journal-def.h).
    tailEntryArrayOffset: headerSize >= 264 && bytes.length >= 264 ? bytes.readUInt32LE(256) : 0,
    tailEntryArrayNEntries: headerSize >= 264 && bytes.length >= 264 ? bytes.readUInt32LE(260) : 0,
  };
}
