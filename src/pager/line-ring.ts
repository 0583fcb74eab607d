import { ByteArena, offsetInBlock } from './byte-arena';
import type { LevelScanner } from './level-scanner';
import { CUT_MARK } from './line-splitter';
import { classifyLevel, type Level } from './log-level';

/** Default number of lines the viewer keeps (the newest ones); older lines are dropped and counted. */
export const DEFAULT_MAX_LINES = 100_000;
/**
 * Default most bytes of line text the viewer keeps. Long lines (tracebacks, JSON, up to 16 KiB each) would
 * otherwise make 100,000 lines hundreds of MiB on an appliance with 1 GiB; and the viewer's whole peak
 * (text, tables, the heap and code of reading a million lines, 8-10 MiB besides the text, V8's optimising
 * compiler mapped on first use included) is meant to stay within 16 MiB of the idle console.
 */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** Flag in a slot's level byte: the line was cut (CUT_MARK follows its text). */
const CUT_FLAG = 0x80;
const LEVEL_MASK = 0x7f;
const FIRST_SLOTS = 256;

/**
 * A ring of the newest lines, at most `capacity` of them and `maxBytes` of their text (the newest line
 * is always kept), with a level byte each. Lines are numbered by absolute sequence (0 = first line ever
 * appended), so a dropped line's number is never reused. Lines are kept as their UTF-8 bytes in a
 * ByteArena and decoded when read; per-line tables grow with the lines.
 */
export class LineRing {
  readonly capacity: number;
  readonly maxBytes: number;
  private readonly arena = new ByteArena();
  private starts = new Float64Array(FIRST_SLOTS);
  private lengths = new Int32Array(FIRST_SLOTS);
  private levels = new Uint8Array(FIRST_SLOTS);
  private appended = 0;
  /** Sequence number of the oldest line held. */
  private first = 0;
  /** Bytes of text of the lines held. */
  private bytes = 0;

  constructor(capacity: number, maxBytes = DEFAULT_MAX_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    if (!(maxBytes > 0)) throw new RangeError(`ring byte limit must be positive, got ${maxBytes}`);
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** Lines appended so far, including dropped ones. */
  get total(): number {
    return this.appended;
  }

  /** Lines currently held. */
  get size(): number {
    return this.appended - this.first;
  }

  /** Sequence number of the oldest line held (= number of lines dropped). */
  get firstSeq(): number {
    return this.first;
  }

  /** Bytes of text of the lines held. */
  get textBytes(): number {
    return this.bytes;
  }

  /** Whether pushing a line of `length` bytes now drops the oldest line (or more). */
  dropsOnPush(length: number): boolean {
    return this.size === this.capacity || (this.bytes + length > this.maxBytes && this.size > 0);
  }

  /**
   * Adds the line whose text is `bytes[start, end)` (plus CUT_MARK when `cut`), dropping the oldest
   * when full. The bytes may be copied later: keep `bytes` unchanged until `flush` or the next read.
   */
  push(bytes: Buffer, start: number, end: number, cut: boolean, level: number): void {
    const slot = this.appended % this.capacity;
    if (slot === this.levels.length) this.grow();
    const oldest = this.first;
    // The slot is the oldest line's when the ring is full by count: that line goes first.
    if (this.size === this.capacity) this.dropOldest();
    this.starts[slot] = this.arena.add(bytes, start, end);
    this.lengths[slot] = end - start;
    this.levels[slot] = (level & LEVEL_MASK) | (cut ? CUT_FLAG : 0);
    this.appended++;
    this.bytes += end - start;
    while (this.bytes > this.maxBytes && this.size > 1) this.dropOldest();
    if (this.first !== oldest) this.arena.release(this.starts[this.first % this.capacity] ?? 0);
  }

  private dropOldest(): void {
    this.bytes -= this.lengths[this.first % this.capacity] ?? 0;
    this.first++;
  }

  /** Copies bytes of pushed lines still pending (call before the pushed-from buffer may change). */
  flush(): void {
    this.arena.flush();
  }

  /** Sets the level of a held line (levels may be classified after the line was pushed). */
  setLevel(seq: number, level: number): void {
    if (!this.has(seq)) return;
    const slot = seq % this.capacity;
    this.levels[slot] = ((this.levels[slot] ?? 0) & CUT_FLAG) | (level & LEVEL_MASK);
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.levels.length * 2);
    const starts = new Float64Array(size);
    starts.set(this.starts);
    this.starts = starts;
    const lengths = new Int32Array(size);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const levels = new Uint8Array(size);
    levels.set(this.levels);
    this.levels = levels;
  }

  /** Whether the line with sequence `seq` is still held. */
  has(seq: number): boolean {
    return seq >= this.first && seq < this.appended;
  }

  /** The line with sequence `seq`, decoded; throws when it was dropped or never appended. */
  line(seq: number): string {
    // has(seq), inline: this runs for every row drawn.
    if (seq < this.first || seq >= this.appended) throw new RangeError(`line ${seq} is not held (held: ${this.firstSeq}..${this.appended - 1})`);
    const slot = seq % this.capacity;
    const length = this.lengths[slot] ?? 0;
    const cut = ((this.levels[slot] ?? 0) & CUT_FLAG) !== 0;
    if (length === 0) return cut ? CUT_MARK : '';
    const text = this.arena.text(this.starts[slot] ?? 0, length);
    return cut ? text + CUT_MARK : text;
  }

  /** The level the text of held line `seq` carries itself (classifyLevel of line(seq)), read from its bytes by `scanner`. */
  ownLevel(seq: number, scanner: LevelScanner): Level {
    const slot = seq % this.capacity;
    const length = this.lengths[slot] ?? 0;
    if (!this.has(seq) || ((this.levels[slot] ?? 0) & CUT_FLAG) !== 0 || length === 0) return classifyLevel(this.has(seq) ? this.line(seq) : '');
    const at = this.starts[slot] ?? 0;
    const from = offsetInBlock(at);
    const block = this.arena.locate(at);
    return scanner.level(block, from, from + length, this.arena.dataEnd(at));
  }

  /** The level of the line with sequence `seq` (0 when not held). */
  level(seq: number): number {
    return this.has(seq) ? (this.levels[seq % this.capacity] ?? 0) & LEVEL_MASK : 0;
  }

  /** Bytes of storage the line texts hold now (whole arena blocks). */
  get heldBytes(): number {
    return this.arena.heldBytes;
  }
}
