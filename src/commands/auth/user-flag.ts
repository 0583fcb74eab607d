import { safeInline } from '../../render/safe-text';
import type { UserFlag, UserFlagOutcome } from '../../targets/types';
import type { CommandContext, CommandResult, ParsedArgs } from '../types';
import { requireUsername, shellWord } from './account-flags';
import { changeAccounts } from './device-path';

const STATES: Readonly<Record<UserFlag, readonly [string, string]>> = {
  is_active: ['deactivated', 'active'],
  local_only: ['allowed to log in from anywhere', 'limited to the local network'],
};

/** What setting a flag did, in words (pure). */
export function describeFlag(outcome: UserFlagOutcome, where: string): string {
  const state = STATES[outcome.flag][outcome.value ? 1 : 0];
  const who = `'${safeInline(outcome.username)}'`;
  if (!outcome.changed) return `${who} is already ${state} in ${safeInline(where)}; nothing was changed.`;
  return `${who} is now ${state} in ${safeInline(where)}.`;
}

/** Runs `auth activate` / `auth local-only`: sets one flag of one user on the target (or the device's folder). */
export async function runSetFlag(ctx: CommandContext, args: ParsedArgs, path: string, flag: UserFlag, value: boolean, words: string): Promise<CommandResult> {
  const username = requireUsername(args, path);
  const what = `make '${safeInline(username)}' ${STATES[flag][value ? 1 : 0]}`;
  const change = await changeAccounts(ctx, what, `${path} --username ${shellWord(username)}${words}`, args.flags['yes'] === true, (target) =>
    target.setUserFlag(username, flag, value, { force: args.flags['force'] === true }));
  return { kind: 'text', text: describeFlag(change.outcome, change.where), body: JSON.stringify({ result: 'ok', data: change.outcome }) };
}
