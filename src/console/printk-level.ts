import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The console log level the console sets while it runs: only emergencies (level 0) are printed by
 * the kernel straight onto the terminal; warnings and errors are shown above the prompt instead.
 * https://www.kernel.org/doc/html/latest/core-api/printk-basics.html
 */
export const CONSOLE_OWNED_LOGLEVEL = 1;

/** Replaces the first field (console_loglevel) of a printk line (pure): `4 4 1 7` → `1 4 1 7`. */
export function withConsoleLevel(printk: string, level: number): string {
  const fields = printk.trim().split(/\s+/);
  fields[0] = String(level);
  return fields.join(' ');
}

/**
 * Takes the kernel's console log level while the console runs; returns a function that restores
 * the previous value (call it on every way out). Without permission it changes nothing.
 */
export function ownConsoleLogLevel(path: string): () => void {
  let previous: string;
  try {
    previous = readFileSync(path, 'utf8').trim();
    writeFileSync(path, withConsoleLevel(previous, CONSOLE_OWNED_LOGLEVEL));
  } catch {
    return () => undefined;
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    try {
      writeFileSync(path, previous);
    } catch {
      // Nothing more can be done on the way out.
    }
  };
}
