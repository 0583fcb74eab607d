import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../src/commands/registry';
import type { TargetKind } from '../../src/commands/types';

// The README's command table says where each command acts; it must say what the registry declares.

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const WORDS: Readonly<Record<string, TargetKind>> = { Supervisor: 'supervisor', 'this machine': 'local', '`--config`': 'config', '`--image`': 'image' };

/** Command path → "acts on" cell as a sorted list (or `anywhere`), from the README table (pure over its text). */
function readmeTargets(text: string): Map<string, string> {
  const section = text.slice(text.indexOf('### Commands'));
  const rows = section.slice(0, section.indexOf('\n\n', section.indexOf('| command |'))).split('\n').filter((l) => l.startsWith('| `'));
  const out = new Map<string, string>();
  for (const row of rows) {
    const [names = '', acts = ''] = row.replace(/\\\|/g, '¦').split('|').slice(1, 3).map((c) => c.trim());
    const kinds = acts === 'anywhere' ? 'anywhere' : acts.replace(/\s*\([^)]*\)/g, '').split(', ').map((w) => WORDS[w] ?? `?${w}`).sort().join(',');
    // Aliases in parentheses after a name (`info` (`in`, `inf`)) are not commands of their own.
    for (const item of names.replace(/\s*\([^)]*\)/g, '').match(/`[^`]+`/g) ?? []) {
      const [group = '', subs] = item.slice(1, -1).replace(/\s*\[[^\]]*\]/g, '').split(' ');
      for (const sub of subs === undefined ? [undefined] : subs.split('¦')) out.set(sub === undefined ? group : `${group} ${sub}`, kinds);
    }
  }
  return out;
}

describe('README command table', () => {
  const table = readmeTargets(README);
  const commands = REGISTRY.flatMap((e) => ('group' in e ? e.group.commands.map((c) => [`${e.group.name} ${c.name}`, c] as const) : [[e.command.name, e.command] as const]));

  it.each(commands)('lists %s with where it acts', (path, command) => {
    expect(table.get(path)).toBe(command.targets === 'anywhere' ? 'anywhere' : [...command.targets].sort().join(','));
  });

  it('lists no command the registry does not have', () => {
    expect([...table.keys()].filter((path) => !commands.some(([p]) => p === path))).toEqual([]);
  });
});
