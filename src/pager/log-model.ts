import { LineRing } from './line-ring';
import { classifyLevel, LEVEL, type Level } from './log-level';

/** Lines the viewer can show: all held lines, or those at or above a level. Indices are view positions. */
export interface LineView {
  /** Number of lines in the view. */
  count(): number;
  /** The raw text of view line `index` (0 <= index < count()). */
  line(index: number): string;
  /** Absolute sequence number (1-based line number minus one) of view line `index`. */
  seq(index: number): number;
}

/**
 * The log as the viewer knows it: a ring of the newest lines, their levels, and the index of lines
 * passing the current level filter. Lines without a level (tracebacks, continuation lines) take the
 * level of the line before them, so a filtered view keeps an error's traceback.
 */
export class LogModel implements LineView {
  readonly ring: LineRing;
  private lastLevel: Level = LEVEL.unknown;
  private minLevel: Level = LEVEL.unknown;
  /** Sequence numbers of lines passing the filter, from `head` on (unused when the filter is off). */
  private matches: number[] = [];
  private head = 0;
  /** Lines before this sequence number have their level in the ring. */
  private classified = 0;
  /** View lines dropped from the front so far (the viewport subtracts it to stay on the same lines). */
  shifted = 0;

  constructor(capacity: number) {
    this.ring = new LineRing(capacity);
  }

  /** Adds one line (without its line break). Its level is worked out later when nothing needs it yet. */
  append(line: string): void {
    const willDrop = this.ring.size === this.ring.capacity;
    if (this.minLevel === LEVEL.unknown && !willDrop) {
      // Levels only matter to a filter: classifying waits (the first screen must not), see classifyPending.
      this.ring.push(line, LEVEL.unknown);
      return;
    }
    this.classifyPending();
    const level = this.levelOf(line);
    const droppedSeq = this.ring.firstSeq;
    this.ring.push(line, level);
    this.classified = this.ring.total;
    if (this.minLevel === LEVEL.unknown) {
      if (willDrop) this.shifted++;
      return;
    }
    if (willDrop && this.head < this.matches.length && this.matches[this.head] === droppedSeq) {
      this.head++;
      this.shifted++;
      if (this.head > 4096 && this.head * 2 > this.matches.length) {
        this.matches = this.matches.slice(this.head);
        this.head = 0;
      }
    }
    if (level >= this.minLevel) this.matches.push(this.ring.total - 1);
  }

  /** Works out the levels of lines appended without one (cheap to call often; append and setFilter call it when needed). */
  classifyPending(): void {
    const ring = this.ring;
    for (let seq = this.classified; seq < ring.total; seq++) ring.setLevel(seq, this.levelOf(ring.line(seq)));
    this.classified = ring.total;
  }

  /** The level of the next line in order: its own, or that of the line before. */
  private levelOf(line: string): Level {
    const found = classifyLevel(line);
    const level = found === LEVEL.unknown ? this.lastLevel : found;
    this.lastLevel = level;
    return level;
  }

  /** The minimum level shown (LEVEL.unknown = everything). */
  get filter(): Level {
    return this.minLevel;
  }

  /** Shows only lines at or above `min` (LEVEL.unknown: all lines). */
  setFilter(min: Level): void {
    this.classifyPending();
    this.minLevel = min;
    this.matches = [];
    this.head = 0;
    if (min === LEVEL.unknown) return;
    const ring = this.ring;
    for (let seq = ring.firstSeq; seq < ring.total; seq++) if (ring.level(seq) >= min) this.matches.push(seq);
  }

  count(): number {
    return this.minLevel === LEVEL.unknown ? this.ring.size : this.matches.length - this.head;
  }

  seq(index: number): number {
    return this.minLevel === LEVEL.unknown ? this.ring.firstSeq + index : (this.matches[this.head + index] ?? -1);
  }

  line(index: number): string {
    return this.ring.line(this.seq(index));
  }

  /** View index of the first line with sequence >= `seq` (count() when none), for keeping a place across filters. */
  indexAtOrAfter(seq: number): number {
    if (this.minLevel === LEVEL.unknown) return Math.max(0, Math.min(seq - this.ring.firstSeq, this.ring.size));
    let low = this.head;
    let high = this.matches.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.matches[mid] ?? 0) < seq) low = mid + 1;
      else high = mid;
    }
    return low - this.head;
  }
}
