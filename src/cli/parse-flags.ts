import { UsageError } from '../errors/usage-error';
import type { FlagSpec, ParsedArgs } from '../commands/types';

/** The flag every command accepts. */
export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', kind: 'boolean', description: 'Show help for this command' };

/**
 * Parses `--name value`, `--name=value`, `-n value`, `-n5`, bundled booleans (`-fv`) and `--` against a
 * command's flag specs. Unknown flags, missing values and bad numbers throw UsageError naming the flag.
 */
export function parseFlags(words: readonly string[], specs: readonly FlagSpec[], commandPath: string): ParsedArgs {
  const all = [...specs, HELP_FLAG];
  const flags: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  const usageHint = `Run '${commandPath} --help' to see its flags.`;
  const takeValue = (spec: FlagSpec, shown: string, inline: string | undefined, next: () => string | undefined): void => {
    if (spec.kind === 'boolean') {
      if (inline !== undefined) {
        if (!/^(true|false)$/i.test(inline)) throw new UsageError(`Flag ${shown} takes no value (got '${inline}').`, usageHint);
        flags[spec.name] = inline.toLowerCase() === 'true';
      } else flags[spec.name] = true;
      return;
    }
    const value = inline ?? next();
    if (value === undefined) throw new UsageError(`Flag ${shown} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}.`, usageHint);
    if (spec.kind === 'integer') {
      if (!/^-?\d+$/.test(value)) throw new UsageError(`Flag ${shown} needs a whole number, not '${value}'.`, usageHint);
      flags[spec.name] = Number.parseInt(value, 10);
    } else flags[spec.name] = value;
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const next = (): string | undefined => (i + 1 < words.length ? words[++i] : undefined);
    if (word === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=');
      const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
      const spec = all.find((s) => s.name === name);
      if (!spec) throw new UsageError(`Unknown flag --${name} for '${commandPath}'.`, usageHint);
      takeValue(spec, `--${name}`, eq === -1 ? undefined : word.slice(eq + 1), next);
    } else if (word.startsWith('-') && word.length > 1 && !/^-\d/.test(word)) {
      for (let j = 1; j < word.length; j++) {
        const letter = word[j] as string;
        const spec = all.find((s) => s.short === letter);
        if (!spec) throw new UsageError(`Unknown flag -${letter} for '${commandPath}'.`, usageHint);
        if (spec.kind !== 'boolean') {
          const rest = word.slice(j + 1);
          takeValue(spec, `-${letter}`, rest === '' ? undefined : rest.replace(/^=/, ''), next);
          break;
        }
        flags[spec.name] = true;
      }
    } else positionals.push(word);
  }
  return { flags, positionals };
}
