/** Default number of lines the viewer keeps (the newest ones); older lines are dropped and counted. */
export const DEFAULT_MAX_LINES = 100_000;

/**
 * A ring of the newest `capacity` lines with a level byte each. Lines are numbered by absolute
 * sequence (0 = first line ever appended), so a dropped line's number is never reused. Storage grows
 * with the lines (allocating the whole capacity up front costs about a millisecond before the first screen).
 */
export class LineRing {
  readonly capacity: number;
  private readonly lines: string[] = [];
  private levels = new Uint8Array(256);
  private appended = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  /** Lines appended so far, including dropped ones. */
  get total(): number {
    return this.appended;
  }

  /** Lines currently held. */
  get size(): number {
    return Math.min(this.appended, this.capacity);
  }

  /** Sequence number of the oldest line held (= number of lines dropped). */
  get firstSeq(): number {
    return this.appended - this.size;
  }

  /** Adds a line, dropping the oldest when full. */
  push(line: string, level: number): void {
    const slot = this.appended % this.capacity;
    if (slot === this.lines.length) this.lines.push(line);
    else this.lines[slot] = line;
    if (slot === this.levels.length) this.growLevels();
    this.levels[slot] = level;
    this.appended++;
  }

  /** Sets the level of a held line (levels may be classified after the line was pushed). */
  setLevel(seq: number, level: number): void {
    if (this.has(seq)) this.levels[seq % this.capacity] = level;
  }

  private growLevels(): void {
    const grown = new Uint8Array(Math.min(this.capacity, this.levels.length * 2));
    grown.set(this.levels);
    this.levels = grown;
  }

  /** Whether the line with sequence `seq` is still held. */
  has(seq: number): boolean {
    return seq >= this.firstSeq && seq < this.appended;
  }

  /** The line with sequence `seq`; throws when it was dropped or never appended. */
  line(seq: number): string {
    if (!this.has(seq)) throw new RangeError(`line ${seq} is not held (held: ${this.firstSeq}..${this.appended - 1})`);
    return this.lines[seq % this.capacity] ?? '';
  }

  /** The level of the line with sequence `seq` (0 when not held). */
  level(seq: number): number {
    return this.has(seq) ? (this.levels[seq % this.capacity] ?? 0) : 0;
  }
}
