import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HaError } from '../../errors/ha-error';
import { UsageError } from '../../errors/usage-error';
import type { TargetScope } from '../../targets/types';
import type { CommandContext, CommandSpec } from '../types';

/** Finds where to reset onboarding: --config/--image, else the host's config folder on a device. */
async function resolveScope(ctx: CommandContext): Promise<TargetScope> {
  const scope = await ctx.recoveryTarget();
  if (scope) return scope;
  const dir = ctx.config.hostConfigDir;
  if (!existsSync(join(dir, '.storage'))) {
    throw new UsageError('onboarding reset works on a config folder or a disk image.', 'Use: ha --config DIR onboarding reset, or ha --image sdcard.img onboarding reset.');
  }
  const { probeCoreRunning } = await import('../../supervisor/core-state');
  const { openConfigDirTarget } = await import('../../targets/config-dir/open');
  return openConfigDirTarget(dir, {
    isRunning: async () => ((await probeCoreRunning(ctx.supervisor(), { signal: ctx.signal })) === 'running' ? 'the Supervisor reports Home Assistant Core as running' : undefined),
  });
}

/** Where the backup folder is, in words a person can find it by (config-relative path from the task). */
function showBackupPath(ctx: CommandContext, backupDir: string): string {
  if (ctx.globals.imagePath !== undefined) return `supervisor/homeassistant/${backupDir} on the image's data partition`;
  return join(resolve(ctx.globals.configDir ?? ctx.config.hostConfigDir), backupDir);
}

/** `onboarding reset`: start over with a new owner account; the old files are kept in a backup folder. */
export const onboardingResetCommand: CommandSpec = {
  name: 'reset',
  summary: 'Start onboarding again (all users are removed; files are moved to a backup folder)',
  // Without --config/--image: the host's config folder on a device (ctx.config.hostConfigDir).
  targets: ['config', 'image', 'local'],
  flags: [
    { name: 'yes', short: 'y', kind: 'boolean', description: 'Do not ask for confirmation' },
    { name: 'force', kind: 'boolean', description: 'Go ahead even though Home Assistant seems to be running there' },
  ],
  examples: ['ha --config /config onboarding reset', 'ha --image sdcard.img onboarding reset --yes'],
  async run(ctx, args) {
    const scope = await resolveScope(ctx);
    if (args.flags['yes'] !== true) {
      if (!ctx.io.interactive) throw new UsageError('onboarding reset asks for confirmation; add --yes when not on a terminal.');
      ctx.io.stdout.write('This removes every user and login of Home Assistant (the files are moved to a backup folder, so it can be undone).\nYour automations, devices and history stay.\n');
      const answer = await ctx.prompter.line("Type 'yes' to start onboarding again: ", ctx.signal);
      if (answer.trim().toLowerCase() !== 'yes') throw new HaError('Not confirmed; nothing was changed.');
    }
    const force = args.flags['force'] === true;
    const result = await scope(async (target) => ({ outcome: await target.resetOnboarding({ force }), where: target.description }));
    const { moved, backupDir } = result.outcome;
    if (moved.length === 0) return { kind: 'text', text: `Nothing to move in ${result.where}: there are no accounts, so onboarding will start anyway.` };
    return {
      kind: 'text',
      text: `Onboarding will start again in ${result.where}.\nMoved ${moved.join(', ')} to ${showBackupPath(ctx, backupDir)}\nTo undo: move those files back into .storage while Home Assistant is stopped.\nNext: start Home Assistant and open it in a browser to create the owner account.`,
    };
  },
};
