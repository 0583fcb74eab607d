import type { JsonValue } from '../../supervisor/api';
import { UsageError } from '../../errors/usage-error';
import type { CommandSpec, GroupSpec } from '../types';

// `backups list|export` on a card: the Supervisor's backup tars read straight off hassos-data.

/** `backups list`: name, date, type, Core version and size of each backup on the card, newest first. */
const backupsListCommand: CommandSpec = {
  name: 'list',
  aliases: ['ls'],
  summary: 'List the backups on the card (newest first)',
  flags: [],
  targets: ['image'],
  examples: ['ha --image sdcard.img backups list'],
  async run(ctx) {
    const { withImage } = await import('../../targets/image/session');
    const { listCardBackups } = await import('../../offline/backups');
    const backups = await withImage(ctx.globals.imagePath ?? '', { write: false }, ({ ext }) => listCardBackups(ext));
    return { kind: 'data', data: { backups: backups as unknown as JsonValue } };
  },
};

/** `backups export SLUG... DEST` / `--all DEST`: the tars, byte for byte, named as Home Assistant names a download. */
const backupsExportCommand: CommandSpec = {
  name: 'export',
  summary: 'Copy backups off the card into a folder (byte-identical tars)',
  flags: [{ name: 'all', short: 'a', kind: 'boolean', description: 'Every backup on the card' }],
  usage: 'SLUG... DEST | --all DEST',
  maxPositionals: 100,
  targets: ['image'],
  examples: ['ha --image sdcard.img backups export 1a2b3c4d ~/backups', 'ha --image sdcard.img backups export --all ~/backups'],
  async run(ctx, args) {
    const all = args.flags['all'] === true;
    const dest = args.positionals[args.positionals.length - 1];
    const slugs = args.positionals.slice(0, -1);
    if (dest === undefined || (!all && slugs.length === 0)) throw new UsageError('Name the backups (or --all) and a folder to copy them into.', 'Example: backups export --all ~/backups');
    if (all && slugs.length > 0) throw new UsageError('Give either slugs or --all, not both.', 'Example: backups export --all ~/backups');
    const { withImage } = await import('../../targets/image/session');
    const { chooseBackups, exportTargets, listCardBackups } = await import('../../offline/backups');
    const { runCopies } = await import('../../offline/copy-session');
    const text = await withImage(ctx.globals.imagePath ?? '', { write: false }, async ({ ext }) => {
      const chosen = chooseBackups(await listCardBackups(ext), slugs, all);
      const targets = await exportTargets(chosen, dest);
      const jobs = await Promise.all(targets.map(async ({ backup, target }) => ({ source: backup.path, stats: await ext.stat(backup.path), dest: target })));
      const summary = await runCopies(ctx, ext, jobs, `${jobs.length} backup${jobs.length === 1 ? '' : 's'}`);
      return [summary, ...targets.map((t) => `  ${t.backup.slug}  ${t.target}`)].join('\n');
    });
    return { kind: 'text', text };
  },
};

/** `backups ...`: backups on a card (offline). */
export const backupsGroup: GroupSpec = {
  name: 'backups',
  aliases: ['backup'],
  summary: 'Backups on a card: list them, copy them off',
  commands: [backupsListCommand, backupsExportCommand],
};
