import { posix } from 'node:path';

/** What a process command line says about Home Assistant. */
export interface HassInvocation {
  /** `--config`/`-c` value as given (may be relative), or undefined for the default folder. */
  readonly configArg: string | undefined;
}

const RUNNERS = new Set(['hass', 'homeassistant']);

/**
 * Recognises Home Assistant Core in an argv (`/proc/PID/cmdline` split at NUL): `hass ...`,
 * `python3 /usr/bin/hass ...` or `python3 -m homeassistant ...` (the Core container), and finds
 * its `-c DIR`, `-cDIR`, `--config DIR` or `--config=DIR`. Undefined when it is not Home Assistant.
 */
export function parseHassCmdline(argv: readonly string[]): HassInvocation | undefined {
  let rest: readonly string[] | undefined;
  const first = argv[0];
  if (first === undefined) return undefined;
  if (RUNNERS.has(posix.basename(first))) rest = argv.slice(1);
  else if (/^python[\d.]*$/.test(posix.basename(first))) {
    const m = argv.indexOf('-m');
    if (m >= 1 && argv[m + 1] === 'homeassistant') rest = argv.slice(m + 2);
    else if (argv[1] !== undefined && RUNNERS.has(posix.basename(argv[1]))) rest = argv.slice(2);
  }
  if (rest === undefined) return undefined;
  let configArg: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--script') return undefined; // `hass --script auth ...` edits files, it does not run Core
    if (arg === '-c' || arg === '--config') configArg = rest[++i];
    else if (arg.startsWith('--config=')) configArg = arg.slice('--config='.length);
    else if (arg.startsWith('-c') && !arg.startsWith('--')) configArg = arg.slice(2);
  }
  return { configArg };
}
