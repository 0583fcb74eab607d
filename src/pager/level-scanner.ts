import { isAscii } from 'node:buffer';
import { angleAt, dmesgDecoded, isSpace, pythonWordEndingAt, syslogPrefix } from './level-bytes';
import { classifyLevel, LEVEL, type Level } from './log-level';

const SPACE = 0x20;
const PAREN = 0x28;
const LESS = 0x3c;
const ESC = 0x1b;
/** Bytes checked for ASCII at once (past the line being classified, within the buffer's data). */
const ASCII_REGION_BYTES = 16 * 1024;

/**
 * classifyLevelBytes for consecutive lines of a buffer, faster: ASCII is checked for a region of many
 * lines at once, and the bytes that can start a match (`(`, `<`) or need decoding (ESC) are found with
 * Buffer#indexOf, remembering the next occurrence for the following lines. Same results (pure per line).
 */
export class LevelScanner {
  private source: Buffer | undefined;
  private limit = 0;
  private last = 0;
  /** Next position >= `last` of each byte in `source`, -1 when none to its end, -2 when not looked for. */
  private nextParen = -2;
  private nextLess = -2;
  private nextEsc = -2;
  /** [plainStart, plainEnd) of `source` is known ASCII; up to checkedEnd it was checked as a region. */
  private plainStart = 0;
  private plainEnd = 0;
  private checkedEnd = 0;

  /**
   * The level the text `bytes[start, end)` carries; `limit` ends the data of `bytes` (>= end). Call
   * `forget` before bytes already scanned may change (a reused chunk or arena block).
   */
  level(bytes: Buffer, start: number, end: number, limit: number): Level {
    if (bytes !== this.source || start < this.last || limit !== this.limit) this.reset(bytes, limit);
    this.last = start;
    const esc = this.find(ESC, start);
    if ((esc >= 0 && esc < end) || !this.ascii(bytes, start, end, limit)) return classifyLevel(bytes.toString('utf8', start, end));
    if (bytes[start] === LESS) {
      const syslog = syslogPrefix(bytes, start, end);
      if (syslog !== undefined) return syslog;
    }
    for (let at = this.find(PAREN, start); at >= 0 && at < end; at = this.find(PAREN, at + 1)) {
      if (at - 2 < start || bytes[at - 1] !== SPACE) continue;
      const python = pythonWordEndingAt(bytes, start, at - 1);
      if (python !== LEVEL.unknown) return python;
    }
    for (let at = this.find(LESS, start); at >= 0 && at < end; at = this.find(LESS, at + 1)) {
      if (at !== start && !isSpace(bytes[at - 1])) continue;
      const angle = angleAt(bytes, at, end);
      if (angle !== LEVEL.unknown) return angle;
    }
    return dmesgDecoded(bytes, start, end);
  }

  /** Drops what was learnt about the buffer scanned last. */
  forget(): void {
    this.source = undefined;
  }

  private reset(bytes: Buffer, limit: number): void {
    this.source = bytes;
    this.limit = limit;
    this.nextParen = this.nextLess = this.nextEsc = -2;
    this.plainStart = this.plainEnd = this.checkedEnd = 0;
  }

  private ascii(bytes: Buffer, start: number, end: number, limit: number): boolean {
    if (start >= this.plainStart && end <= this.plainEnd) return true;
    if (end <= this.checkedEnd) return isAscii(bytes.subarray(start, end));
    const regionEnd = Math.max(end, Math.min(limit, bytes.length, start + ASCII_REGION_BYTES));
    this.checkedEnd = regionEnd;
    if (isAscii(bytes.subarray(start, regionEnd))) {
      this.plainStart = start;
      this.plainEnd = regionEnd;
      return true;
    }
    this.plainEnd = 0;
    return isAscii(bytes.subarray(start, end));
  }

  /** The next position >= `from` (>= the current line's start) of `byte` in the source, -1 when none. */
  private find(byte: number, from: number): number {
    const known = byte === PAREN ? this.nextParen : byte === LESS ? this.nextLess : this.nextEsc;
    if (known === -1 || known >= from) return known;
    const found = (this.source ?? Buffer.alloc(0)).indexOf(byte, from);
    if (byte === PAREN) this.nextParen = found;
    else if (byte === LESS) this.nextLess = found;
    else this.nextEsc = found;
    return found;
  }
}
