import { isAscii } from 'node:buffer';
import { angleAt, dmesgDecoded, isSpace, pythonWordEndingAt, syslogPrefix } from './level-bytes';
import { classifyLevel, LEVEL, type Level } from './log-level';

const SPACE = 0x20;
const PAREN = 0x28;
const LESS = 0x3c;
const ESC = 0x1b;
const BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const BACKSLASH = 0x5c;
const BELL = 0x07;
const QUESTION = 0x3f;
const SEMICOLON = 0x3b;
const LETTER_M = 0x6d;
/** Bytes checked for ASCII at once (past the line being classified, within the buffer's data). */
const ASCII_REGION_BYTES = 16 * 1024;

/**
 * classifyLevelBytes for consecutive lines of a buffer, faster: ASCII is checked for a region of many
 * lines at once, and the bytes that can start a match (`(`, `<`) or need decoding (ESC) are found with
 * Buffer#indexOf, remembering the next occurrence for the following lines. Same results (pure per line).
 */
export class LevelScanner {
  private source: Buffer | undefined;
  /** A coloured line without its escape sequences. */
  private scratch = Buffer.allocUnsafe(1024);
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
    if (!this.ascii(bytes, start, end, limit)) return classifyLevel(bytes.toString('utf8', start, end));
    if (esc >= 0 && esc < end) return this.colouredLevel(bytes, start, end);
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

  /**
   * classifyLevel of an ASCII line with escape sequences, from its bytes: the sequences are removed as
   * classifyLevel's ESCAPES does (into a scratch buffer), the words are looked for in what is left, and
   * failing those the SGR colours give the level (levelFromColours).
   */
  private colouredLevel(bytes: Buffer, start: number, end: number): Level {
    if (end - start > this.scratch.length) this.scratch = Buffer.allocUnsafe(end - start);
    const plain = this.scratch;
    let n = 0;
    let colour: Level = LEVEL.unknown;
    let i = start;
    while (i < end) {
      const byte = bytes[i] ?? 0;
      if (byte !== ESC) {
        plain[n++] = byte;
        i++;
        continue;
      }
      const kind = i + 1 < end ? (bytes[i + 1] ?? -1) : -1;
      if (kind === BRACKET) {
        let j = i + 2;
        let question = false;
        for (; j < end && isCsiParam(bytes[j] ?? 0); j++) if (bytes[j] === QUESTION) question = true;
        const paramsEnd = j;
        while (j < end && (bytes[j] ?? 0) >= 0x20 && (bytes[j] ?? 0) <= 0x2f) j++;
        const final = j < end ? (bytes[j] ?? 0) : -1;
        if (final >= 0x40 && final <= 0x7e) {
          if (final === LETTER_M && paramsEnd === j && !question && colour !== LEVEL.error) colour = sgrLevel(bytes, i + 2, paramsEnd, colour);
          i = j + 1;
        } else i += 2;
      } else if (kind === CLOSE_BRACKET) {
        let j = i + 2;
        while (j < end && bytes[j] !== BELL && bytes[j] !== ESC) j++;
        if (j < end && bytes[j] === BELL) j++;
        else if (j + 1 < end && bytes[j + 1] === BACKSLASH) j += 2;
        i = j;
      } else if (kind >= 0x40 && kind <= 0x5f) i += 2;
      else {
        plain[n++] = ESC;
        i++;
      }
    }
    const found = plainAsciiLevel(plain, n);
    return found === LEVEL.unknown ? colour : found;
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

/** A byte of CSI parameters as ESCAPES takes them: [0-9;?]. */
function isCsiParam(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || byte === SEMICOLON || byte === QUESTION;
}

/** The level of colour parameters `bytes[from, to)` (digits and `;`) as levelFromColours sees them, given the level found before. */
function sgrLevel(bytes: Buffer, from: number, to: number, before: Level): Level {
  let params = 0;
  let bold = false;
  let yellow = false;
  for (let at = from; at <= to; ) {
    let stop = at;
    while (stop < to && bytes[stop] !== SEMICOLON) stop++;
    params++;
    const length = stop - at;
    const a = bytes[at];
    const b = bytes[at + 1];
    if (length === 2 && (a === 0x33 || a === 0x39) && b === 0x31) return LEVEL.error;
    if (length === 2 && (a === 0x33 || a === 0x39) && b === 0x33) yellow = true;
    if (length === 1 && a === 0x31) bold = true;
    at = stop + 1;
  }
  return bold && (params === 1 || yellow) ? LEVEL.warning : before;
}

/** classifyLevel of plain ASCII text `bytes[0, end)` (no escape sequences left). */
function plainAsciiLevel(bytes: Buffer, end: number): Level {
  if (bytes[0] === LESS) {
    const syslog = syslogPrefix(bytes, 0, end);
    if (syslog !== undefined) return syslog;
  }
  for (let at = bytes.indexOf(PAREN); at >= 0 && at < end; at = bytes.indexOf(PAREN, at + 1)) {
    if (at - 2 < 0 || bytes[at - 1] !== SPACE) continue;
    const python = pythonWordEndingAt(bytes, 0, at - 1);
    if (python !== LEVEL.unknown) return python;
  }
  for (let at = bytes.indexOf(LESS); at >= 0 && at < end; at = bytes.indexOf(LESS, at + 1)) {
    if (at !== 0 && !isSpace(bytes[at - 1])) continue;
    const angle = angleAt(bytes, at, end);
    if (angle !== LEVEL.unknown) return angle;
  }
  return dmesgDecoded(bytes, 0, end);
}
