/**
 * One /dev/kmsg record (https://www.kernel.org/doc/Documentation/ABI/testing/dev-kmsg).
 * `text` is the message as the kernel hands it out: non-printable bytes (and `\`) escaped as `\xNN`;
 * continuation lines (` SUBSYSTEM=usb`) are not part of it.
 */
export interface KmsgRecord {
  /** Syslog level 0 (emerg) .. 7 (debug): `prio & 7`. */
  readonly level: number;
  /** Syslog facility: `prio >> 3` (0 = kernel, 1 = user). */
  readonly facility: number;
  /** Kernel sequence number (gaps mean records were overwritten before they were read). */
  readonly seq: number;
  /** CLOCK_MONOTONIC timestamp of the record, in microseconds. */
  readonly usecMonotonic: number;
  /** Message text, still `\xNN`-escaped as the kernel writes it. */
  readonly text: string;
}

/** Syslog level numbers, as in <sys/syslog.h>. */
export const KMSG_LEVEL = {
  emerg: 0,
  alert: 1,
  crit: 2,
  err: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
} as const;
