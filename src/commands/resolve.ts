import { UsageError } from '../errors/usage-error';
import { REGISTRY, namesOf } from './registry';
import type { CommandSpec, GroupSpec, RegistryEntry } from './types';

/** A resolved command line: the command, its canonical path, and the words after it. */
export type Resolved =
  | { readonly kind: 'command'; readonly command: CommandSpec; readonly path: string; readonly rest: readonly string[]; readonly note?: string }
  | { readonly kind: 'group'; readonly group: GroupSpec; readonly path: string; readonly rest: readonly string[] };

function findEntry(word: string, registry: readonly RegistryEntry[]): RegistryEntry | undefined {
  return registry.find((e) => namesOf('group' in e ? e.group : e.command).includes(word));
}

/** Closest names to a mistyped word, for "did you mean" hints (pure). */
export function suggest(word: string, names: readonly string[]): string[] {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const old = row[j] as number;
        row[j] = Math.min(old + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = old;
      }
    }
    return row[b.length] as number;
  };
  return names.filter((n) => n.startsWith(word) || distance(word, n) <= (n.length <= 3 ? 1 : 2)).slice(0, 3);
}

/**
 * Maps words to a command. A leading `ha` is dropped when the next word is a command of its own
 * (`ha core logs`); otherwise `ha` is the `core` alias as in the `ha` CLI (`ha logs`).
 */
export function resolveCommand(words: readonly string[], registry: readonly RegistryEntry[] = REGISTRY): Resolved {
  let list = words;
  let note: string | undefined;
  if (list[0] === 'ha' && list.length > 1 && findEntry(list[1] as string, registry)) {
    list = list.slice(1);
    note = "Note: the leading 'ha' is not needed here.";
  }
  const [first, ...rest] = list;
  if (first === undefined) throw new UsageError('No command given.', "Type 'help' to see the commands.");
  const entry = findEntry(first, registry);
  const topNames = registry.map((e) => ('group' in e ? e.group.name : e.command.name));
  if (!entry) {
    const close = suggest(first, topNames);
    throw new UsageError(`Unknown command '${clip(first)}'.`, close.length ? `Did you mean ${close.map((c) => `'${c}'`).join(' or ')}? Type 'help' for all commands.` : "Type 'help' to see the commands.");
  }
  if ('command' in entry) return { kind: 'command', command: entry.command, path: entry.command.name, rest, ...(note ? { note } : {}) };
  const group = entry.group;
  const [sub, ...after] = rest;
  if (sub === undefined || sub.startsWith('-')) return { kind: 'group', group, path: group.name, rest };
  const command = group.commands.find((c) => namesOf(c).includes(sub));
  if (!command) {
    const close = suggest(sub, group.commands.map((c) => c.name));
    throw new UsageError(
      `Unknown command '${group.name} ${clip(sub)}'.`,
      `${close.length ? `Did you mean '${group.name} ${close[0]}'? ` : ''}'${group.name}' has: ${group.commands.map((c) => c.name).join(', ')}.`,
    );
  }
  return { kind: 'command', command, path: `${group.name} ${command.name}`, rest: after, ...(note ? { note } : {}) };
}

/** Keeps echoed user input short and printable in messages. */
export function clip(word: string): string {
  // eslint-disable-next-line no-control-regex -- control characters from the keyboard must not reach the screen raw
  const printable = word.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 37)}...` : printable;
}
