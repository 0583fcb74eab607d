import type { FlagSpec } from '../types';

// The flags of `ha dmesg`, apart from the command table: `main` prints a plain kernel log stream before the
// table is loaded (printing starts as soon as Node has), and must take exactly the flags the command takes.

/** `ha dmesg`'s flags (all boolean). */
export const DMESG_FLAGS: readonly FlagSpec[] = [
  { name: 'follow', short: 'f', kind: 'boolean', description: 'Keep printing new kernel messages (Ctrl-C stops)' },
  { name: 'no-pager', kind: 'boolean', description: 'Print the kernel log as a plain stream' },
];

/**
 * The flags set by `words` (what follows `dmesg`), by long name; undefined when a word is not one of the
 * flags exactly as typed (`--follow`, `-f`): the command table then parses and judges the line (pure).
 */
export function plainDmesgFlags(words: readonly string[]): ReadonlySet<string> | undefined {
  const set = new Set<string>();
  for (const word of words) {
    const flag = DMESG_FLAGS.find((spec) => word === `--${spec.name}` || (spec.short !== undefined && word === `-${spec.short}`));
    if (flag === undefined) return undefined;
    set.add(flag.name);
  }
  return set;
}
