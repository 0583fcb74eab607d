import { UsageError } from '../../errors/usage-error';
import type { CommandContext, CommandSpec } from '../types';

/** Where keymaps and the saved choice live on this machine. */
function keymapPaths(ctx: CommandContext): { vconsoleConf: string; keymapDirs: readonly string[] } {
  return { vconsoleConf: ctx.config.vconsoleConf, keymapDirs: ctx.config.keymapDirs };
}

/** `host keymap [LAYOUT]`: lists console keyboard layouts, or sets one that survives a reboot. */
export const hostKeymapCommand: CommandSpec = {
  name: 'keymap',
  aliases: ['keyboard'],
  summary: 'List console keyboard layouts, or set one (kept across reboots)',
  usage: '[LAYOUT]',
  maxPositionals: 1,
  flags: [],
  targets: ['local'],
  examples: ['host keymap', 'host keymap de-latin1', 'host keymap fr'],
  async run(ctx, args) {
    const { listKeymaps, readSavedKeymap, setKeymap } = await import('../../host/keymap-io');
    const paths = keymapPaths(ctx);
    const layouts = listKeymaps(paths.keymapDirs);
    const wanted = args.positionals[0];
    if (wanted === undefined) {
      const current = readSavedKeymap(paths) ?? 'us (default)';
      if (layouts.length === 0) return { kind: 'text', text: `Current layout: ${current}\nNo keymaps are installed here (looked in ${paths.keymapDirs.join(', ')}).` };
      return { kind: 'text', text: `Current layout: ${current}\nAvailable (${layouts.length}): ${layouts.join(' ')}\nSet one with: host keymap LAYOUT` };
    }
    if (layouts.length > 0 && !layouts.includes(wanted)) {
      const near = layouts.filter((l) => l.startsWith(wanted.slice(0, 2))).slice(0, 8);
      throw new UsageError(`Unknown keyboard layout '${wanted}'.`, near.length ? `Close ones: ${near.join(', ')}. 'host keymap' lists all.` : "'host keymap' lists the layouts.");
    }
    return { kind: 'text', text: await setKeymap(wanted, paths) };
  },
};
