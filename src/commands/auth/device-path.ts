import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HaError, isHaError } from '../../errors/ha-error';
import { probeCoreRunning } from '../../supervisor/core-state';
import type { RecoveryTarget } from '../../targets/types';
import { CORE_ACTION_TIMEOUT_MS } from '../api-command';
import type { CommandContext } from '../types';

/** What a change did, where, and the steps taken around it (stop and start Core on a device). */
export interface AccountChange<T> {
  readonly outcome: T;
  readonly where: string;
  readonly steps: readonly string[];
}

/** The same command run offline on the host's config folder, for hints. */
export function offlineCommand(ctx: CommandContext, words: string): string {
  return `ha --config ${ctx.config.hostConfigDir} ${words}`;
}

function hostTargetMissing(ctx: CommandContext, words: string): HaError {
  return new HaError(`The Supervisor has no API for this, and there is no Home Assistant config folder at ${ctx.config.hostConfigDir} on this machine; nothing was changed`, {
    hint: `Run it on the device's console, or offline on the card: ha --image sdcard.img ${words} (or ha --config DIR ${words}).`,
  });
}

/**
 * Reads accounts from the offline target, or on a device (no target given) from the host's config folder,
 * which Core's atomic writes keep readable while it runs.
 */
export async function readAccounts<T>(ctx: CommandContext, words: string, fn: (target: RecoveryTarget) => Promise<T>): Promise<T> {
  const scope = await ctx.recoveryTarget({ write: false });
  if (scope) return scope(fn);
  if (!existsSync(join(ctx.config.hostConfigDir, '.storage'))) throw hostTargetMissing(ctx, words);
  const { openConfigDirTarget } = await import('../../targets/config-dir/open');
  return openConfigDirTarget(ctx.config.hostConfigDir, { isRunning: async () => undefined })(fn);
}

/**
 * Makes a change on the offline target, or on a device the guided way (the Supervisor has no API for MFA,
 * activation or new logins): asks first (or takes --yes), stops Core through the Supervisor, changes the files in
 * the host's config folder, and starts Core again even when the change failed. Core that was already stopped is
 * left stopped. Each step is reported.
 */
export async function changeAccounts<T>(ctx: CommandContext, what: string, words: string, yes: boolean, fn: (target: RecoveryTarget) => Promise<T>): Promise<AccountChange<T>> {
  const scope = await ctx.recoveryTarget();
  if (scope) return scope(async (target) => ({ outcome: await fn(target), where: target.description, steps: [] }));
  const hostDir = ctx.config.hostConfigDir;
  if (!existsSync(join(hostDir, '.storage'))) throw hostTargetMissing(ctx, words);
  const state = await probeCoreRunning(ctx.supervisor(), { signal: ctx.signal });
  if (state === 'unknown') {
    throw new HaError('The Supervisor could not tell whether Home Assistant Core is running, so Core was not stopped; nothing was changed', {
      hint: `Stop Core with 'core stop', then run: ${offlineCommand(ctx, words)}; then 'core start'.`,
    });
  }
  const running = state === 'running';
  const plan = running ? `Stop Home Assistant Core, ${what} in ${hostDir}, then start Core again?` : `Core is stopped: ${what} in ${hostDir}?`;
  if (!yes) {
    if (!ctx.io.interactive) {
      throw new HaError(`The Supervisor has no API for this: it is done in ${hostDir}${running ? ' with Core stopped' : ''}; nothing was changed`, {
        hint: `Add --yes to let ha ${running ? 'stop Core, make the change and start Core again' : 'make the change'}, or run it at the console.`,
      });
    }
    const answer = await ctx.prompter.line(`${plan} [y/N] `, ctx.signal);
    if (!/^y(es)?$/i.test(answer.trim())) throw new HaError('Nothing was changed.', { hint: `Offline with Core stopped: ${offlineCommand(ctx, words)}` });
  }
  const steps: string[] = [];
  const report = (line: string): void => {
    steps.push(line);
    ctx.io.stderr.write(`${line}\n`);
  };
  if (running) {
    await ctx.supervisor().call('POST', '/core/stop', {}, { signal: ctx.signal, timeoutMs: CORE_ACTION_TIMEOUT_MS });
    report('Stopped Home Assistant Core.');
  }
  let outcome: T;
  try {
    const { openConfigDirTarget } = await import('../../targets/config-dir/open');
    outcome = await openConfigDirTarget(hostDir)(fn);
    report(`Changed the files in ${hostDir}.`);
  } finally {
    if (running) await startCore(ctx, report);
  }
  const failed = steps.find((line) => line.startsWith(START_FAILED));
  if (failed !== undefined) throw new HaError(`The change was made in ${hostDir}, but ${failed.slice(0, 1).toLowerCase()}${failed.slice(1)}`, { hint: "Start it with 'core start'." });
  return { outcome, where: `config folder ${hostDir}`, steps };
}

const START_FAILED = 'Could not start Home Assistant Core again';

async function startCore(ctx: CommandContext, report: (line: string) => void): Promise<void> {
  try {
    // Not ctx.signal: Ctrl-C during the change must not leave Core stopped.
    await ctx.supervisor().call('POST', '/core/start', undefined, { timeoutMs: CORE_ACTION_TIMEOUT_MS });
    report('Started Home Assistant Core.');
  } catch (error) {
    report(`${START_FAILED} (${isHaError(error) ? error.message : String(error)}): start it with 'core start'.`);
  }
}
