import { HaError, isHaError } from '../../errors/ha-error';
import { SupervisorResponseError } from '../../supervisor/errors';
import type { CommandContext } from '../types';

/**
 * Why the machine's own power path is about to be used, or undefined when it may be used without a word.
 * A Supervisor that answered (even with an error, such as the 503 during an offline database migration,
 * supervisor/api/host.py:150-160, 201-215) is never bypassed: its answer stands and is thrown again.
 */
export async function reasonToAskFirst(ctx: CommandContext, supervisorError: unknown): Promise<string | undefined> {
  if (supervisorError !== undefined) {
    if (ctx.signal.aborted || supervisorError instanceof SupervisorResponseError || !isHaError(supervisorError)) throw supervisorError;
    return `The Supervisor is not answering (${supervisorError.message})`;
  }
  const { findInstalledSupervisor } = await import('../../host/supervisor-presence');
  const installed = await findInstalledSupervisor(ctx.config);
  if (installed === undefined) return undefined;
  return `A Supervisor is installed on this machine (${installed}), but this console has no token for it (${ctx.config.cliTokenFile} is missing or unreadable)`;
}

/**
 * Asks before acting on the machine directly while a Supervisor is installed: acting locally skips its
 * graceful shutdown of Core and its migration guard. `--force` skips the question; without a terminal
 * and without `--force` the answer is no. Resolves true to go ahead.
 */
export async function confirmLocalPower(ctx: CommandContext, action: 'reboot' | 'shutdown', reason: string, force: boolean): Promise<boolean> {
  const verb = action === 'reboot' ? 'reboot' : 'shut down';
  if (force) {
    ctx.io.stderr.write(`${reason}; --force given: going to ${verb} the machine directly.\n`);
    return true;
  }
  if (!ctx.io.interactive) {
    throw new HaError(`${reason}; not acting on the machine directly without --force.`, {
      hint: `Wait for the Supervisor and try again, or run 'host ${action} --force' to ${verb} through the init system, skipping the Supervisor's graceful shutdown of Core.`,
    });
  }
  const answer = await ctx.prompter.line(`${reason}.\n${verb[0]?.toUpperCase() ?? ''}${verb.slice(1)} the machine directly, without the Supervisor's graceful shutdown of Core? [y/N] `, ctx.signal);
  return /^y(es)?$/i.test(answer.trim());
}
