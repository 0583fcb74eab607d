import type { JsonValue } from '../../supervisor/api';
import { UsageError } from '../../errors/usage-error';
import type { CommandSpec, GroupSpec } from '../types';

// `files ls|cp` on a card: any file or folder of the data partition (config, share, media), copied out.

/** `files ls [PATH]`: what a folder of the data partition holds. */
const filesLsCommand: CommandSpec = {
  name: 'ls',
  aliases: ['list'],
  summary: 'List a folder of the card\'s data partition',
  flags: [],
  usage: '[PATH]',
  maxPositionals: 1,
  targets: ['image'],
  examples: ['ha --image sdcard.img files ls /supervisor', 'ha --image sdcard.img files ls /supervisor/homeassistant'],
  async run(ctx, args) {
    const { withImage } = await import('../../targets/image/session');
    const { listCardPath } = await import('../../offline/card-files');
    const rows = await withImage(ctx.globals.imagePath ?? '', { write: false }, ({ ext }) => listCardPath(ext, args.positionals[0] ?? '/'));
    return { kind: 'data', data: { files: rows as unknown as JsonValue } };
  },
};

/** `files cp PATH DEST`: a file or a whole folder off the card, modes and times kept, symlinks not followed. */
const filesCpCommand: CommandSpec = {
  name: 'cp',
  aliases: ['copy'],
  summary: 'Copy a file or folder off the card (modes and times kept)',
  flags: [],
  usage: 'PATH DEST',
  maxPositionals: 2,
  targets: ['image'],
  examples: ['ha --image sdcard.img files cp /supervisor/homeassistant ~/ha-config', 'ha --image sdcard.img files cp /supervisor/share ~/'],
  async run(ctx, args) {
    const [path, dest] = args.positionals;
    if (path === undefined || dest === undefined) throw new UsageError('Name what to copy and where to.', 'Example: files cp /supervisor/homeassistant ~/ha-config');
    const { withImage } = await import('../../targets/image/session');
    const { planCopy, settleDirs } = await import('../../offline/card-files');
    const { runCopies } = await import('../../offline/copy-session');
    const text = await withImage(ctx.globals.imagePath ?? '', { write: false }, async ({ ext }) => {
      const plan = await planCopy(ext, path, dest);
      const summary = await runCopies(ctx, ext, plan.jobs, path);
      await settleDirs(plan.dirs);
      return plan.links > 0 ? `${summary} ${plan.links} symlink${plan.links === 1 ? '' : 's'} recreated as links (not followed).` : summary;
    });
    return { kind: 'text', text };
  },
};

/** `files ...`: files of a card (offline). */
export const filesGroup: GroupSpec = {
  name: 'files',
  summary: 'Files on a card: list folders, copy them off',
  commands: [filesLsCommand, filesCpCommand],
};
