// The escape sequences `dmesg --color=always` prints (util-linux 2.38 defaults, no terminal-colors.d
// scheme): timestamp green, `subsystem: ` prefix brown, then the message by level. Emerg, notice,
// info and debug are not coloured; a message with "segfault at" gets the segfault colour.

/** Resets all attributes (util-linux `color_disable`). */
export const DMESG_COLOR_RESET = '\x1b[0m';
/** Timestamp colour. */
export const DMESG_COLOR_TIME = '\x1b[32m';
/** `subsystem: ` prefix colour. */
export const DMESG_COLOR_SUBSYS = '\x1b[33m';
/** Messages of level alert. */
export const DMESG_COLOR_ALERT = '\x1b[7m\x1b[31m';
/** Messages of level crit. */
export const DMESG_COLOR_CRIT = '\x1b[1m\x1b[31m';
/** Messages of level err. */
export const DMESG_COLOR_ERR = '\x1b[31m';
/** Messages of level warning. */
export const DMESG_COLOR_WARN = '\x1b[1m';
/** Other messages that mention "segfault at". */
export const DMESG_COLOR_SEGFAULT = '\x1b[2m\x1b[31m';

/** The colour `dmesg` gives a message body of `level`, before the segfault check. */
export function levelColor(level: number): string | undefined {
  switch (level) {
    case 1:
      return DMESG_COLOR_ALERT;
    case 2:
      return DMESG_COLOR_CRIT;
    case 3:
      return DMESG_COLOR_ERR;
    case 4:
      return DMESG_COLOR_WARN;
    default:
      return undefined;
  }
}
