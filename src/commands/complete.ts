import { splitLine } from '../cli/tokenize';
import { HELP_FLAG } from '../cli/parse-flags';
import { REGISTRY, namesOf } from './registry';
import type { RegistryEntry } from './types';

/** Tab completion from the registry: `[candidates, the word being completed]`, as readline wants it. */
export function completeLine(line: string, registry: readonly RegistryEntry[] = REGISTRY): [string[], string] {
  const split = splitLine(line);
  if (split.open === "'" || split.open === '"') return [[], ''];
  const words = split.endsInWord ? split.tokens.slice(0, -1) : split.tokens;
  const partial = split.endsInWord ? (split.tokens[split.tokens.length - 1] ?? '') : '';
  const context = words[0] === 'ha' ? words.slice(1) : words;
  const match = (candidates: readonly string[]): [string[], string] => [[...new Set(candidates.filter((c) => c.startsWith(partial)))].map((c) => `${c} `), partial];

  if (context.length === 0) return match(registry.map((e) => ('group' in e ? e.group.name : e.command.name)));
  const entry = registry.find((e) => namesOf('group' in e ? e.group : e.command).includes(context[0] as string));
  if (!entry) return [[], partial];
  if ('group' in entry) {
    if (context.length === 1) return match(entry.group.commands.map((c) => c.name));
    const command = entry.group.commands.find((c) => namesOf(c).includes(context[1] as string));
    if (!command) return [[], partial];
    return partial.startsWith('-') || partial === '' ? match([...command.flags, HELP_FLAG].map((f) => `--${f.name}`)) : [[], partial];
  }
  if (entry.command.name === 'help') return match(registry.map((e) => ('group' in e ? e.group.name : e.command.name)));
  return partial.startsWith('-') || partial === '' ? match([...entry.command.flags, HELP_FLAG].map((f) => `--${f.name}`)) : [[], partial];
}
