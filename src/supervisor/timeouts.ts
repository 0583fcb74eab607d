/** Default timeout of a JSON call, as the real `ha` CLI uses (30 s). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Timeout of `host reboot` / `host shutdown` (90 s, as the real CLI). */
export const POWER_TIMEOUT_MS = 90_000;

/** Largest error body kept from a failed call (a stray proxy page can be big). */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** A non-follow log body with no byte for this long (while we read) has stalled: error instead of hanging. */
export const LOG_STALL_TIMEOUT_MS = 30_000;
