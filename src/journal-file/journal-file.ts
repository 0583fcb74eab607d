import type { ByteSource, WindowedSource } from './byte-source';
import { windowedSource } from './byte-source';
import { EntryList } from './entry-list';
import { jenkinsHash64, siphash24 } from './hash';
import { parseHeader, u64, type JournalHeader } from './header';
import { OBJECT, OBJECT_HEADER_BYTES, parseDataPayload, parseEntry, validObjectPlace, type EntryObject } from './objects';

// One journal file, opened as journalctl opens it: the header only. Its global entry array (every entry in
// write order) and the entry arrays of DATA objects (the entries holding one FIELD=value) are EntryLists
// read on demand; a DATA object is found through the data hash table. Entries and their DATA objects are
// read on demand. A torn tail (an unclean `.journal~`, a file copied while written) reads as missing
// entries; nothing past the file's end is ever trusted.

const HEADER_READ_BYTES = 272;
/** DataObject: hash (16), next_hash_offset (24), entry_offset (40), entry_array_offset (48), n_entries (56), compact tail array (64, 68). */
const DATA = { hash: 16, nextHash: 24, entryOffset: 40, entryArrayOffset: 48, nEntries: 56, tailArray: 64, tailUsed: 68 } as const;
const DATA_N_ENTRIES_AT = DATA.nEntries;
/** DATA objects before their payload (regular, compact). */
const DATA_PAYLOAD_AT = { regular: 64, compact: 72 } as const;
const HASH_ITEM_BYTES = 16;
/** A bound on hash chain walks (journald rotates past HASH_CHAIN_DEPTH_MAX = 100; this only stops loops). */
const MAX_HASH_CHAIN = 100_000;
/** Shared DATA objects (identifiers, host names) are cached by offset. */
const SHARED_CACHE_MAX = 8192;
/** Header states (journal-def.h): a file being written, or left so by a crash, is ONLINE. */
const STATE_ONLINE = 1;
/** "Those bytes are not in a window already read." */
const MISS = Symbol('miss');

/** The DATA object of one FIELD=value: none in this file, its entries, or a table/chain that looks wrong. */
export type DataLookup = { readonly kind: 'none' } | { readonly kind: 'found'; readonly entries: EntryList } | { readonly kind: 'damaged' };

/** One field of an entry: name and raw value bytes. */
export interface EntryField {
  readonly name: string;
  readonly value: Buffer;
}

/** An opened journal file. */
export class JournalFile {
  private readonly shared = new Map<number, EntryField>();

  private constructor(readonly name: string, readonly header: JournalHeader, private readonly source: WindowedSource, readonly entries: EntryList) {}

  /** Opens a file: its header, and the tail of its global entry array (journal_file_open() reads no more). */
  static async open(name: string, raw: ByteSource): Promise<JournalFile> {
    const source = windowedSource(raw);
    const header = parseHeader(await source.peek(0, HEADER_READ_BYTES), name);
    const bytes = { size: source.size, compact: header.compact, peek: (o: number, n: number) => source.peek(o, n) };
    const entries = await EntryList.open(bytes, {
      head: header.entryArrayOffset,
      count: header.nEntries,
      tailOffset: header.tailEntryArrayOffset,
      tailUsed: header.tailEntryArrayNEntries,
    });
    return new JournalFile(name, header, source, entries);
  }

  /** True when the file was not closed cleanly (still being written, or its writer died): its lists are checked before use. */
  get unclean(): boolean {
    return this.header.state === STATE_ONLINE || this.name.endsWith('~');
  }

  /**
   * The entries holding `payload` (`FIELD=value`), through the data hash table as
   * journal_file_find_data_object_with_hash() does (src/libsystemd/sd-journal/journal-file.c): the bucket
   * is the hash modulo the table's items, its chain linked by next_hash_offset, hash then payload compared.
   */
  async findData(payload: Buffer): Promise<DataLookup> {
    const { dataHashTableOffset: table, dataHashTableSize: tableSize, keyedHash, fileId, compact } = this.header;
    const buckets = Math.floor(tableSize / HASH_ITEM_BYTES);
    if (buckets === 0 || !validObjectPlace(table, tableSize, this.source.size, HASH_ITEM_BYTES)) return { kind: 'damaged' };
    // journal_file_hash_data(): siphash24 keyed with file_id for keyed-hash files, else jenkins_hash64.
    const hash = keyedHash ? siphash24(payload, fileId) : jenkinsHash64(payload);
    const item = await this.source.peek(table + Number(hash % BigInt(buckets)) * HASH_ITEM_BYTES, HASH_ITEM_BYTES);
    if (item.length < HASH_ITEM_BYTES) return { kind: 'damaged' };
    const headerBytes = compact ? DATA_PAYLOAD_AT.compact : DATA_PAYLOAD_AT.regular;
    const seen = new Set<number>();
    let offset = u64(item, 0);
    while (offset !== 0) {
      if (seen.has(offset) || seen.size >= MAX_HASH_CHAIN) return { kind: 'damaged' };
      seen.add(offset);
      const head = await this.source.peek(offset, headerBytes);
      if (head.length < headerBytes || head.readUInt8(0) !== OBJECT.data) return { kind: 'damaged' };
      const size = u64(head, 8);
      if (!validObjectPlace(offset, size, this.source.size, headerBytes)) return { kind: 'damaged' };
      if (head.readBigUInt64LE(DATA.hash) === hash) {
        const stored = parseDataPayload(size <= headerBytes ? head : await this.source.peek(offset, size), compact, this.name);
        if (stored === undefined) return { kind: 'damaged' };
        if (stored.equals(payload)) {
          const entries = await EntryList.open({ size: this.source.size, compact, peek: (o, n) => this.source.peek(o, n) }, {
            inline: u64(head, DATA.entryOffset),
            head: u64(head, DATA.entryArrayOffset),
            count: u64(head, DATA.nEntries),
            tailOffset: compact ? head.readUInt32LE(DATA.tailArray) : 0,
            tailUsed: compact ? head.readUInt32LE(DATA.tailUsed) : 0,
          });
          // A file left open by a crash may have lost the end of a chain: check it before trusting it.
          if (this.unclean) await entries.walkChain();
          return entries.damaged ? { kind: 'damaged' } : { kind: 'found', entries };
        }
      }
      offset = u64(head, DATA.nextHash);
    }
    return { kind: 'none' };
  }

  /** Raw bytes of the file (fewer at its end). */
  bytes(offset: number, length: number): Promise<Buffer> {
    return this.source.read(offset, length);
  }

  /** The ENTRY object at `offset`, or undefined when it is not a whole entry (torn tail). */
  async entry(offset: number): Promise<EntryObject | undefined> {
    // Most objects lie in a window already read: parsed without a round through the event loop.
    const quick = this.entryFrom(offset, this.cachedBytes);
    if (quick !== MISS) return quick;
    const head = await this.source.read(offset, OBJECT_HEADER_BYTES);
    if (head.length < OBJECT_HEADER_BYTES) return undefined;
    const size = u64(head, 8);
    if (!validObjectPlace(offset, size, this.source.size, 64)) return undefined;
    return parseEntry(await this.source.read(offset, size), offset, this.header.compact);
  }

  private readonly cachedBytes = (offset: number, length: number): Buffer | typeof MISS => this.source.cached(offset, length) ?? MISS;

  private entryFrom(offset: number, read: (offset: number, length: number) => Buffer | typeof MISS): EntryObject | undefined | typeof MISS {
    const head = read(offset, OBJECT_HEADER_BYTES);
    if (head === MISS) return MISS;
    if (head.length < OBJECT_HEADER_BYTES) return undefined;
    const size = u64(head, 8);
    if (!validObjectPlace(offset, size, this.source.size, 64)) return undefined;
    const body = read(offset, size);
    return body === MISS ? MISS : parseEntry(body, offset, this.header.compact);
  }

  /** The field a DATA object holds, or undefined when the object is missing or torn. */
  async field(offset: number): Promise<EntryField | undefined> {
    const quick = this.fieldFrom(offset, this.cachedBytes);
    if (quick !== MISS) return quick;
    const head = await this.source.read(offset, 64);
    if (head.length < 64) return undefined;
    const size = u64(head, 8);
    if (!validObjectPlace(offset, size, this.source.size, 64)) return undefined;
    const body = size <= 64 ? head : await this.source.read(offset, size);
    const field = this.fieldFrom(offset, (at, length) => (at === offset && length <= body.length ? body.subarray(0, length) : MISS));
    return field === MISS ? undefined : field;
  }

  private fieldFrom(offset: number, read: (offset: number, length: number) => Buffer | typeof MISS): EntryField | undefined | typeof MISS {
    const cached = this.shared.get(offset);
    if (cached !== undefined) return cached;
    const head = read(offset, 64);
    if (head === MISS) return MISS;
    if (head.length < 64) return undefined;
    const size = u64(head, 8);
    if (!validObjectPlace(offset, size, this.source.size, 64)) return undefined;
    const bytes = size <= 64 ? head : read(offset, size);
    if (bytes === MISS) return MISS;
    const payload = parseDataPayload(bytes, this.header.compact, this.name);
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
      const quick = this.fieldFrom(item, this.cachedBytes);
      const field = quick === MISS ? await this.field(item) : quick;
      if (field !== undefined) out.push(field);
    }
    return out;
  }
}
