import { LineRing } from './line-ring';
import { LevelScanner } from './level-scanner';
import { lineText } from './line-splitter';
import { classifyLevel, LEVEL, type Level } from './log-level';

// Per line, before the first screen: a local constant, not a property of the imported LEVEL.
const UNKNOWN: Level = LEVEL.unknown;

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
  private readonly scanner = new LevelScanner();
  private lastLevel: Level = LEVEL.unknown;
  private minLevel: Level = LEVEL.unknown;
  /** Sequence numbers of lines passing the filter, from `head` on (unused when the filter is off). */
  private matches: number[] = [];
  private head = 0;
  /** Lines before this sequence number have their level in the ring. */
  private classified = 0;
  /** View lines dropped from the front so far (the viewport subtracts it to stay on the same lines). */
  shifted = 0;

  constructor(capacity: number, maxBytes?: number) {
    this.ring = new LineRing(capacity, maxBytes);
  }

  /** Adds one line (without its line break), given as text. */
  append(line: string): void {
    const bytes = Buffer.from(line, 'utf8');
    this.appendBytes(bytes, 0, bytes.length, false);
    this.ring.flush();
  }

  /**
   * Adds one line as a LineSink gets it. Its level is worked out later when nothing needs it yet.
   * The bytes may be copied later: call `flush` before `bytes` changes (at the end of each chunk).
   */
  appendBytes(bytes: Buffer, start: number, end: number, cut: boolean): void {
    // Levels only matter to a filter: classifying waits (the first screen must not), see classifyPending.
    if (this.minLevel === UNKNOWN && !this.ring.dropsOnPush(end - start)) this.ring.push(bytes, start, end, cut, UNKNOWN);
    else this.appendClassified(bytes, start, end, cut);
  }

  /** appendBytes when the line's level is needed at once: a filter is on, or lines are dropped (a dropped line must have its level). */
  private appendClassified(bytes: Buffer, start: number, end: number, cut: boolean): void {
    this.classifyPending();
    const own = cut ? classifyLevel(lineText(bytes, start, end, cut)) : this.scanner.level(bytes, start, end, bytes.length);
    const level = this.inherit(own);
    const firstBefore = this.ring.firstSeq;
    this.ring.push(bytes, start, end, cut, level);
    this.classified = this.ring.total;
    const first = this.ring.firstSeq;
    if (this.minLevel === LEVEL.unknown) {
      this.shifted += first - firstBefore;
      return;
    }
    // Matches are in sequence order: the dropped ones are at the front.
    while (this.head < this.matches.length && (this.matches[this.head] ?? 0) < first) {
      this.head++;
      this.shifted++;
    }
    if (this.head > 4096 && this.head * 2 > this.matches.length) {
      this.matches = this.matches.slice(this.head);
      this.head = 0;
    }
    if (level >= this.minLevel) this.matches.push(this.ring.total - 1);
  }

  /** Copies the bytes of appended lines still pending out of the buffers they came in. */
  flush(): void {
    this.ring.flush();
    this.scanner.forget();
  }

  /** Works out the levels of lines appended without one (cheap to call often; append and setFilter call it when needed). */
  classifyPending(): void {
    const ring = this.ring;
    // The arena blocks got more lines since the last call (and a released block may be reused).
    if (this.classified < ring.total) this.scanner.forget();
    for (let seq = this.classified; seq < ring.total; seq++) ring.setLevel(seq, this.inherit(ring.ownLevel(seq, this.scanner)));
    this.classified = ring.total;
  }

  /** The level of the next line in order, given the level its text carries: that, or the level of the line before. */
  private inherit(found: Level): Level {
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
