import type { ByteSource } from './byte-source';
import { windowedSource } from './byte-source';
import { parseHeader, u64, type JournalHeader } from './header';
import { OBJECT, OBJECT_HEADER_BYTES, parseDataPayload, parseEntry, validObjectPlace, type EntryObject } from './objects';

// One journal file: its global entry array chain read once into a list of entry offsets, then entries and
// their DATA objects read on demand. A torn tail (an unclean `.journal~`, a file copied while written) ends
// the list at the last entry that is whole and linked; nothing past the file's end is ever trusted.

const HEADER_READ_BYTES = 272;
/** EntryArrayObject before its items: header + next_entry_array_offset. */
const ENTRY_ARRAY_ITEMS_AT = 24;
/** DataObject.n_entries: shared DATA objects (identifiers, host names) are cached by offset. */
const DATA_N_ENTRIES_AT = 56;
const SHARED_CACHE_MAX = 8192;

/** One field of an entry: name and raw value bytes. */
export interface EntryField {
  readonly name: string;
  readonly value: Buffer;
}

/** An opened journal file. */
export class JournalFile {
  /** Offsets of the file's entries in write order (the global entry array chain). */
  readonly entryOffsets: readonly number[];
  private readonly shared = new Map<number, EntryField>();

  private constructor(readonly name: string, readonly header: JournalHeader, private readonly source: ByteSource, entryOffsets: number[]) {
    this.entryOffsets = entryOffsets;
  }

  /** Opens a file: header checked, entry offsets collected. */
  static async open(name: string, raw: ByteSource): Promise<JournalFile> {
    const source = windowedSource(raw);
    const header = parseHeader(await source.read(0, HEADER_READ_BYTES), name);
    return new JournalFile(name, header, source, await readEntryOffsets(source, header));
  }

  /** Raw bytes of the file (fewer at its end). */
  bytes(offset: number, length: number): Promise<Buffer> {
    return this.source.read(offset, length);
  }

  /** The ENTRY object at `offset`, or undefined when it is not a whole entry (torn tail). */
  async entry(offset: number): Promise<EntryObject | undefined> {
    const head = await this.source.read(offset, OBJECT_HEADER_BYTES);
    if (head.length < OBJECT_HEADER_BYTES) return undefined;
    const size = u64(head, 8);
    if (!validObjectPlace(offset, size, this.source.size, 64)) return undefined;
    return parseEntry(await this.source.read(offset, size), offset, this.header.compact);
  }

  /** The field a DATA object holds, or undefined when the object is missing or torn. */
  async field(offset: number): Promise<EntryField | undefined> {
    const cached = this.shared.get(offset);
    if (cached !== undefined) return cached;
    const head = await this.source.read(offset, 64);
    if (head.length < 64) return undefined;
    const size = u64(head, 8);
    if (!validObjectPlace(offset, size, this.source.size, 64)) return undefined;
    const payload = parseDataPayload(size <= 64 ? head : await this.source.read(offset, size), this.header.compact, this.name);
    if (payload === undefined) return undefined;
    const eq = payload.indexOf(0x3d);
    if (eq <= 0) return undefined;
    const field = { name: payload.toString('latin1', 0, eq), value: payload.subarray(eq + 1) };
    if (u64(head, DATA_N_ENTRIES_AT) > 1) {
      if (this.shared.size >= SHARED_CACHE_MAX) this.shared.clear();
      this.shared.set(offset, field);
    }
    return field;
  }

  /** All fields of an entry, in its item order. */
  async fields(entry: EntryObject): Promise<EntryField[]> {
    const out: EntryField[] = [];
    for (const item of entry.items) {
      const field = await this.field(item);
      if (field !== undefined) out.push(field);
    }
    return out;
  }
}

/** Walks the header's entry array chain; stops at a zero slot, a torn array, or offsets that go backwards. */
async function readEntryOffsets(source: ByteSource, header: JournalHeader): Promise<number[]> {
  const offsets: number[] = [];
  const itemBytes = header.compact ? 4 : 8;
  const seen = new Set<number>();
  let arrayOffset = header.entryArrayOffset;
  let last = 0;
  while (arrayOffset !== 0 && !seen.has(arrayOffset) && offsets.length < header.nEntries) {
    seen.add(arrayOffset);
    const head = await source.read(arrayOffset, ENTRY_ARRAY_ITEMS_AT);
    if (head.length < ENTRY_ARRAY_ITEMS_AT || head.readUInt8(0) !== OBJECT.entryArray) break;
    const size = u64(head, 8);
    if (!validObjectPlace(arrayOffset, size, source.size, ENTRY_ARRAY_ITEMS_AT)) break;
    const body = await source.read(arrayOffset, size);
    for (let at = ENTRY_ARRAY_ITEMS_AT; at + itemBytes <= size && offsets.length < header.nEntries; at += itemBytes) {
      const item = header.compact ? body.readUInt32LE(at) : u64(body, at);
      if (item === 0) return offsets;
      if (item <= last || item >= source.size) return offsets;
      offsets.push(item);
      last = item;
    }
    arrayOffset = u64(head, 16);
  }
  return offsets;
}
