import { LEVEL, type Level } from './log-level';

// The patterns of classifyLevel matched on the bytes of a plain ASCII line (no byte >= 0x80, no ESC):
// then the text is the bytes and JavaScript's \s is [\t\n\v\f\r ]. LevelScanner puts them together.

const SPACE = 0x20;
const LESS = 0x3c;
const GREATER = 0x3e;
const COLON = 0x3a;

/** Python logging words before ` (`, as byte strings with their levels. */
const PYTHON_WORDS: readonly (readonly [Buffer, Level])[] = [
  [Buffer.from('CRITICAL'), LEVEL.error],
  [Buffer.from('FATAL'), LEVEL.error],
  [Buffer.from('ERROR'), LEVEL.error],
  [Buffer.from('WARNING'), LEVEL.warning],
  [Buffer.from('WARN'), LEVEL.warning],
  [Buffer.from('INFO'), LEVEL.info],
  [Buffer.from('DEBUG'), LEVEL.debug],
];
/** NetworkManager `<word>` levels. */
const ANGLE_WORDS: readonly (readonly [Buffer, Level])[] = [
  [Buffer.from('error'), LEVEL.error],
  [Buffer.from('warn'), LEVEL.warning],
  [Buffer.from('info'), LEVEL.info],
  [Buffer.from('debug'), LEVEL.debug],
  [Buffer.from('trace'), LEVEL.debug],
];
/** `dmesg -x` decoded level words. */
const DMESG_WORDS: readonly (readonly [Buffer, Level])[] = [
  [Buffer.from('emerg'), LEVEL.error],
  [Buffer.from('alert'), LEVEL.error],
  [Buffer.from('crit'), LEVEL.error],
  [Buffer.from('err'), LEVEL.error],
  [Buffer.from('warn'), LEVEL.warning],
  [Buffer.from('notice'), LEVEL.info],
  [Buffer.from('info'), LEVEL.info],
  [Buffer.from('debug'), LEVEL.debug],
];
const SYSLOG_LEVELS: readonly Level[] = [LEVEL.error, LEVEL.error, LEVEL.error, LEVEL.error, LEVEL.warning, LEVEL.info, LEVEL.info, LEVEL.debug];

/** Whether an ASCII byte is whitespace to a JavaScript regular expression (\s). */
export function isSpace(byte: number | undefined): boolean {
  return byte === SPACE || (byte !== undefined && byte >= 0x09 && byte <= 0x0d);
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function isLower(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x61 && byte <= 0x7a;
}

/** Whether `bytes[at, at + word.length)` is `word` (within `end`). */
function wordAt(bytes: Buffer, at: number, end: number, word: Buffer): boolean {
  if (at < 0 || at + word.length > end) return false;
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) return false;
  return true;
}

/** The level of the Python word ending at `wordEnd` (exclusive) when it starts the line or follows whitespace. */
export function pythonWordEndingAt(bytes: Buffer, start: number, wordEnd: number): Level {
  for (const [word, level] of PYTHON_WORDS) {
    const at = wordEnd - word.length;
    if (at >= start && wordAt(bytes, at, wordEnd, word) && (at === start || isSpace(bytes[at - 1]))) return level;
  }
  return LEVEL.unknown;
}

/** The level of `<word>` + whitespace at `at` (the `<`), or unknown. */
export function angleAt(bytes: Buffer, at: number, end: number): Level {
  for (const [word, level] of ANGLE_WORDS) {
    const close = at + 1 + word.length;
    if (close + 1 < end && bytes[close] === GREATER && isSpace(bytes[close + 1]) && wordAt(bytes, at + 1, end, word)) return level;
  }
  return LEVEL.unknown;
}

/** The level of a `<N>` syslog prefix at `start`, or undefined when there is none. */
export function syslogPrefix(bytes: Buffer, start: number, end: number): Level | undefined {
  if (bytes[start] !== LESS || start + 2 >= end) return undefined;
  let at = start + 1;
  let value = 0;
  while (at < end && at - start <= 3 && isDigit(bytes[at])) value = value * 10 + (bytes[at++] ?? 0) - 0x30;
  if (at === start + 1 || at >= end || bytes[at] !== GREATER) return undefined;
  return SYSLOG_LEVELS[value & 7] ?? LEVEL.unknown;
}

/** The level of a `dmesg -x` decoded prefix (`kern  :err   :`) at `start`, or unknown. */
export function dmesgDecoded(bytes: Buffer, start: number, end: number): Level {
  let at = start;
  while (at < end && isLower(bytes[at])) at++;
  if (at === start) return LEVEL.unknown;
  while (at < end && isSpace(bytes[at])) at++;
  if (at >= end || bytes[at] !== COLON) return LEVEL.unknown;
  at++;
  for (const [word, level] of DMESG_WORDS) {
    if (!wordAt(bytes, at, end, word)) continue;
    let after = at + word.length;
    while (after < end && isSpace(bytes[after])) after++;
    return after < end && bytes[after] === COLON ? level : LEVEL.unknown;
  }
  return LEVEL.unknown;
}
