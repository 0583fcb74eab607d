// Levels of log lines, detected from the text (Home Assistant / Supervisor Python logging, NetworkManager,
// syslog `<N>` prefixes, `dmesg -x` decoded levels) or, failing that, from the colours journalctl and
// dmesg give them (dmesg: util-linux 2.38 defaults, see src/kmsg/dmesg-colors.ts; journalctl:
// systemd's ANSI_HIGHLIGHT_RED for err and worse, ANSI_HIGHLIGHT_YELLOW for warning).

/** Line levels, ordered: a filter keeps lines at or above a level. */
export const LEVEL = { unknown: 0, debug: 1, info: 2, warning: 3, error: 4 } as const;
/** One of the LEVEL values. */
export type Level = (typeof LEVEL)[keyof typeof LEVEL];

const WORD_LEVELS: Readonly<Record<string, Level>> = {
  CRITICAL: LEVEL.error,
  FATAL: LEVEL.error,
  ERROR: LEVEL.error,
  WARNING: LEVEL.warning,
  WARN: LEVEL.warning,
  INFO: LEVEL.info,
  DEBUG: LEVEL.debug,
  error: LEVEL.error,
  warn: LEVEL.warning,
  info: LEVEL.info,
  debug: LEVEL.debug,
  trace: LEVEL.debug,
  emerg: LEVEL.error,
  alert: LEVEL.error,
  crit: LEVEL.error,
  err: LEVEL.error,
  notice: LEVEL.info,
};

/** Syslog priorities 0..7 as levels. */
const SYSLOG_LEVELS: readonly Level[] = [LEVEL.error, LEVEL.error, LEVEL.error, LEVEL.error, LEVEL.warning, LEVEL.info, LEVEL.info, LEVEL.debug];

// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
const SGR = /\x1b\[([0-9;]*)m/g;
// eslint-disable-next-line no-control-regex -- strips CSI/OSC sequences before matching words
const ESCAPES = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])/g;
/** `2024-01-01 12:00:00.123 WARNING (MainThread) [...]` or a line starting `ERROR (`. */
const PYTHON_LEVEL = /(?:^|\s)(CRITICAL|FATAL|ERROR|WARNING|WARN|INFO|DEBUG) \(/;
/** NetworkManager `<warn>  [1723200000.1234] ...`. */
const ANGLE_LEVEL = /(?:^|\s)<(error|warn|info|debug|trace)>\s/;
/** `dmesg -x`: `kern  :err   : [...]`. */
const DMESG_DECODED = /^[a-z]+\s*:(emerg|alert|crit|err|warn|notice|info|debug)\s*:/;
/** Raw syslog / kmsg priority prefix `<3>`. */
const SYSLOG_PREFIX = /^<(\d{1,3})>/;

function levelFromColours(line: string): Level {
  let found: Level = LEVEL.unknown;
  for (const match of line.matchAll(SGR)) {
    const params = (match[1] ?? '').split(';');
    if (params.includes('31') || params.includes('91')) return LEVEL.error;
    const bold = params.includes('1');
    // dmesg's warning colour is bold alone; journalctl's is bold yellow. Plain yellow is dmesg's subsystem prefix.
    if (bold && (params.length === 1 || params.includes('33') || params.includes('93'))) found = LEVEL.warning;
  }
  return found;
}

/** The level a log line carries, or LEVEL.unknown (pure). */
export function classifyLevel(line: string): Level {
  const plain = line.includes('\x1b') ? line.replace(ESCAPES, '') : line;
  const syslog = SYSLOG_PREFIX.exec(plain);
  if (syslog !== null) return SYSLOG_LEVELS[Number(syslog[1]) & 7] ?? LEVEL.unknown;
  const word = PYTHON_LEVEL.exec(plain) ?? ANGLE_LEVEL.exec(plain) ?? DMESG_DECODED.exec(plain);
  if (word !== null) return WORD_LEVELS[word[1] ?? ''] ?? LEVEL.unknown;
  return plain === line ? LEVEL.unknown : levelFromColours(line);
}

/** Filters the viewer cycles through with `l`: everything, warning and worse, error and worse. */
export const LEVEL_FILTERS: readonly { readonly name: string; readonly min: Level }[] = [
  { name: 'all', min: LEVEL.unknown },
  { name: 'warning+', min: LEVEL.warning },
  { name: 'error+', min: LEVEL.error },
];
