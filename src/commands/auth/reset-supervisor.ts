import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HaError, isHaError } from '../../errors/ha-error';
import { probeCoreRunning } from '../../supervisor/core-state';
import type { CommandContext, CommandResult } from '../types';
import { describeReset } from './reset-result';
import { safeFormat } from '../../render/safe-text';

/** Resets a password through the Supervisor and tells the truth when it fails. */
export async function resetThroughSupervisor(ctx: CommandContext, username: string, password: string): Promise<CommandResult> {
  const client = ctx.supervisor();
  let body: string;
  try {
    body = (await client.authReset(username, password, { signal: ctx.signal })).body;
  } catch (error) {
    if (!isHaError(error)) throw error;
    return explainFailure(ctx, username, password, error);
  }
  const notes = await clearLoginCache(ctx);
  return { kind: 'text', text: [safeFormat`Password for '${username}' changed.`, ...notes].join('\n'), body };
}

/** After a password change, the Supervisor's add-on login cache still knows the old one: clear it. */
export async function clearLoginCache(ctx: CommandContext): Promise<string[]> {
  try {
    await ctx.supervisor().authCacheClear({ signal: ctx.signal });
    return [];
  } catch {
    return ['Note: the Supervisor login cache could not be cleared; apps may accept the old password until it restarts.'];
  }
}

async function explainFailure(ctx: CommandContext, username: string, password: string, error: HaError): Promise<CommandResult> {
  const state = await probeCoreRunning(ctx.supervisor(), { signal: ctx.signal });
  const hostDir = ctx.config.hostConfigDir;
  const offline = `ha --config ${hostDir} auth reset --username '${username.replace(/'/g, `'\\''`)}'`;
  if (state === 'running') {
    throw new HaError(error.message, { hint: error.hint ?? "Check the login names with 'auth list'.", ...(error.body ? { body: error.body } : {}) });
  }
  if (state === 'stopped') {
    const message = 'Home Assistant Core is not running, so the Supervisor cannot change passwords (its "user does not exist" reply is what it says whenever Core is down).';
    if (ctx.io.interactive && existsSync(join(hostDir, '.storage'))) {
      ctx.io.stderr.write(`${message}\n`);
      const answer = await ctx.prompter.line(`Change the password directly in ${hostDir} instead? Core is stopped, so it is safe. [y/N] `, ctx.signal);
      if (/^y(es)?$/i.test(answer.trim())) return resetOnHost(ctx, username, password);
      return { kind: 'text', text: `Nothing was changed. Start Core with 'core start' and try again, or run: ${offline}` };
    }
    throw new HaError(message, { hint: `Start Core with 'core start' and try again, or change it offline while Core is stopped: ${offline}`, ...(error.body ? { body: error.body } : {}) });
  }
  throw new HaError(error.message, {
    hint: `The Supervisor also says this when Home Assistant Core is down, and Core's state could not be checked. Try 'core info'; with Core stopped: ${offline}`,
    ...(error.body ? { body: error.body } : {}),
  });
}

/** The local path on a device: edit `.storage` in the host's config folder (Core is stopped). */
async function resetOnHost(ctx: CommandContext, username: string, password: string): Promise<CommandResult> {
  const { openConfigDirTarget } = await import('../../targets/config-dir/open');
  const outcome = await openConfigDirTarget(ctx.config.hostConfigDir)((target) => target.resetPassword(username, password, { force: false }));
  const notes = await clearLoginCache(ctx);
  return { kind: 'text', text: [describeReset(username, outcome, `config folder ${ctx.config.hostConfigDir}`), "Start Core with 'core start', then log in.", ...notes].join('\n') };
}
