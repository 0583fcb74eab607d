import { u64 } from './header';
import { OBJECT, validObjectPlace } from './objects';

// A list of entry offsets as a journal file stores it: a chain of ENTRY_ARRAY objects (the global one from
// the header, or a DATA object's, which keeps its first entry inline in entry_offset). Items are read on
// demand, never the whole list: systemd's link_entry_into_array() (src/libsystemd/sd-journal/journal-file.c)
// doubles each new array, so a chain is a few dozen arrays, and the last one is named by the header's (or a
// compact DATA object's) tail_entry_array_offset / tail_entry_array_n_entries, so the newest entries are
// found without walking the chain at all. As generic_array_get() does, a slot that is zero or points outside
// the file (a torn tail) reads as no entry rather than as garbage.

/** EntryArrayObject before its items: header + next_entry_array_offset. */
export const ENTRY_ARRAY_ITEMS_AT = 24;
/** Items read at once from an array (a few KiB: the last N entries are a few reads). */
const CHUNK_ITEMS = 1024;
/** A bound on chain walks, so a corrupt loop cannot hang the reader. */
const MAX_ARRAYS = 100_000;

/** What the list reads with: small exact reads, the file size, and the item width. */
export interface ListBytes {
  readonly size: number;
  readonly compact: boolean;
  peek(offset: number, length: number): Promise<Buffer>;
}

/** Where a list lives. */
export interface ListSpec {
  /** The first entry, kept outside the arrays (DATA objects' entry_offset); counted in `count`. */
  readonly inline?: number;
  /** The first ENTRY_ARRAY of the chain. */
  readonly head: number;
  /** Entries in the list, the inline one included (n_entries). */
  readonly count: number;
  /** The chain's last array and how many of its items are used, when the file records them (0 = not). */
  readonly tailOffset: number;
  readonly tailUsed: number;
}

interface ArrayRef {
  readonly offset: number;
  /** Index (among the chain's items) of its first item. */
  readonly start: number;
  readonly capacity: number;
}

/** A list of entry offsets, ascending (write order), read lazily. */
export class EntryList {
  /** Entries the list claims. */
  readonly length: number;
  /** Set when the chain is shorter than the count or loops: some entries cannot be reached. */
  damaged = false;
  private readonly chainCount: number;
  private chain: ArrayRef[] | undefined;
  private tail: ArrayRef | undefined;
  private readonly chunks = new Map<string, Promise<Buffer>>();

  private constructor(private readonly bytes: ListBytes, private readonly spec: ListSpec) {
    this.length = Math.max(0, spec.count);
    this.chainCount = Math.max(0, this.length - (spec.inline === undefined ? 0 : 1));
  }

  /** Opens a list: reads the tail array's header when the file names it (else nothing until asked). */
  static async open(bytes: ListBytes, spec: ListSpec): Promise<EntryList> {
    const list = new EntryList(bytes, spec);
    if (spec.tailOffset !== 0 && spec.tailUsed > 0 && list.chainCount > 0) {
      const ref = await list.arrayAt(spec.tailOffset, list.chainCount - spec.tailUsed);
      if (ref !== undefined && spec.tailUsed <= ref.capacity && ref.start >= 0) list.tail = ref;
    }
    return list;
  }

  private itemBytes(): number {
    return this.bytes.compact ? 4 : 8;
  }

  /** The header of the ENTRY_ARRAY at `offset`, or undefined when there is none (torn, wrong type). */
  private async arrayAt(offset: number, start: number): Promise<(ArrayRef & { next: number }) | undefined> {
    const head = await this.bytes.peek(offset, ENTRY_ARRAY_ITEMS_AT);
    if (head.length < ENTRY_ARRAY_ITEMS_AT || head.readUInt8(0) !== OBJECT.entryArray) return undefined;
    const size = u64(head, 8);
    if (!validObjectPlace(offset, size, this.bytes.size, ENTRY_ARRAY_ITEMS_AT + this.itemBytes())) return undefined;
    return { offset, start, capacity: Math.floor((size - ENTRY_ARRAY_ITEMS_AT) / this.itemBytes()), next: u64(head, 16) };
  }

  /** Walks the chain's array headers (not their items) once. */
  async walkChain(): Promise<readonly ArrayRef[]> {
    if (this.chain !== undefined) return this.chain;
    const chain: ArrayRef[] = [];
    const seen = new Set<number>();
    let offset = this.spec.head;
    let start = 0;
    while (offset !== 0 && start < this.chainCount && chain.length < MAX_ARRAYS) {
      if (seen.has(offset)) break;
      seen.add(offset);
      const ref = await this.arrayAt(offset, start);
      if (ref === undefined) break;
      chain.push({ offset, start, capacity: ref.capacity });
      start += ref.capacity;
      offset = ref.next;
    }
    if (start < this.chainCount) this.damaged = true;
    const last = chain[chain.length - 1];
    if (this.tail !== undefined && (last === undefined || last.offset !== this.tail.offset || last.start !== this.tail.start)) this.damaged = true;
    this.chain = chain;
    return chain;
  }

  private async locate(j: number): Promise<ArrayRef | undefined> {
    if (this.tail !== undefined && j >= this.tail.start) return this.tail;
    const chain = await this.walkChain();
    let lo = 0;
    let hi = chain.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const ref = chain[mid];
      if (ref === undefined) return undefined;
      if (j < ref.start) hi = mid - 1;
      else if (j >= ref.start + ref.capacity) lo = mid + 1;
      else return ref;
    }
    return undefined;
  }

  private valid(item: number): number | undefined {
    return item > 0 && item % 8 === 0 && item < this.bytes.size ? item : undefined;
  }

  /** The offset of entry `i`, or undefined when its slot is empty, torn, or unreachable. */
  async at(i: number): Promise<number | undefined> {
    if (i < 0 || i >= this.length) return undefined;
    let j = i;
    if (this.spec.inline !== undefined) {
      if (i === 0) return this.valid(this.spec.inline);
      j = i - 1;
    }
    const ref = await this.locate(j);
    if (ref === undefined) return undefined;
    const k = j - ref.start;
    if (k >= ref.capacity) return undefined;
    const chunk = Math.floor(k / CHUNK_ITEMS);
    const key = `${ref.offset}:${chunk}`;
    let bytes = this.chunks.get(key);
    if (bytes === undefined) {
      const first = chunk * CHUNK_ITEMS;
      const n = Math.min(CHUNK_ITEMS, ref.capacity - first);
      bytes = this.bytes.peek(ref.offset + ENTRY_ARRAY_ITEMS_AT + first * this.itemBytes(), n * this.itemBytes());
      if (this.chunks.size >= 64) this.chunks.clear();
      this.chunks.set(key, bytes);
    }
    const buffer = await bytes;
    const at = (k - chunk * CHUNK_ITEMS) * this.itemBytes();
    if (at + this.itemBytes() > buffer.length) return undefined;
    return this.valid(this.bytes.compact ? buffer.readUInt32LE(at) : u64(buffer, at));
  }

  /**
   * The last index whose entry lies at or before `offset` (-1 when none), by bisection as
   * generic_array_bisect() does; unreadable slots (a torn tail, always at the end) count as past it.
   */
  async lastAtOrBefore(offset: number): Promise<number> {
    let lo = 0;
    let hi = this.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const item = await this.at(mid);
      if (item !== undefined && item <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
