import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { HaError } from '../errors/ha-error';
import { chooseKeymapMethod, keymapNameOf, readVconsoleKeymap, writeVconsoleKeymap } from './keymap';

/**
 * Runs a keymap tool. child_process (and dir-fs's crypto, below) are loaded only when a layout is set or
 * applied, not at every console start: the idle console keeps them out of memory.
 */
async function run(program: string, args: readonly string[], options: { timeout: number }): Promise<void> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  await promisify(execFile)(program, args, options);
}

/** Where keymaps and the saved choice live (relocatable for tests). */
export interface KeymapPaths {
  readonly vconsoleConf: string;
  readonly keymapDirs: readonly string[];
}

/** Finds a program on PATH. */
export function findOnPath(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Every layout installed under the keymap folders (walked recursively), sorted. */
export function listKeymaps(dirs: readonly string[]): string[] {
  const names = new Set<string>();
  const walk = (dir: string, depth: number): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (isDir && depth < 4 && entry !== 'include') walk(path, depth + 1);
      else if (!isDir) {
        const name = keymapNameOf(entry);
        if (name) names.add(name);
      }
    }
  };
  for (const dir of dirs) walk(dir, 0);
  return [...names].sort();
}

/** The saved layout, if any. */
export function readSavedKeymap(paths: KeymapPaths): string | undefined {
  try {
    return readVconsoleKeymap(readFileSync(paths.vconsoleConf, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Applies a layout now and keeps it across reboots; says how. */
export async function setKeymap(layout: string, paths: KeymapPaths): Promise<string> {
  const method = chooseKeymapMethod({ systemd: existsSync('/run/systemd/system'), localectl: findOnPath('localectl'), loadkeys: findOnPath('loadkeys') });
  if (method.kind === 'localectl') {
    await runTool(method.program, ['set-keymap', layout]);
    return `Keyboard layout set to ${layout} with localectl (kept across reboots).`;
  }
  let applied = 'it applies from the next start of the console (no loadkeys here)';
  if (method.kind === 'loadkeys') {
    await runTool(method.program, [layout]);
    applied = 'applied now with loadkeys';
  }
  let previous = '';
  try {
    previous = readFileSync(paths.vconsoleConf, 'utf8');
  } catch {
    // a new file
  }
  const { writeFileAtomicAt } = await import('../targets/config-dir/dir-fs');
  await writeFileAtomicAt(paths.vconsoleConf, Buffer.from(writeVconsoleKeymap(previous, layout)), 0o644);
  return `Keyboard layout set to ${layout}: ${applied}, and saved in ${paths.vconsoleConf} for the next boot.`;
}

/** At console start: loads the saved layout where nothing else does (busybox systems). Never throws. */
export async function applySavedKeymap(paths: KeymapPaths): Promise<void> {
  const layout = readSavedKeymap(paths);
  const loadkeys = findOnPath('loadkeys');
  if (!layout || !loadkeys || existsSync('/run/systemd/system')) return;
  await run(loadkeys, [layout], { timeout: 10_000 }).catch(() => undefined);
}

async function runTool(program: string, args: string[]): Promise<void> {
  try {
    await run(program, args, { timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n')[0];
    throw new HaError(`${program} ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}.`, { hint: 'Check the layout name with host keymap (no argument lists them).' });
  }
}
