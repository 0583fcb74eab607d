import { HaError } from '../../errors/ha-error';
import type { CommandContext } from '../types';
import { safeFormat } from '../../render/safe-text';

/** Asks for the new password twice without echo (or reads one line from a pipe). */
export async function askNewPassword(ctx: CommandContext): Promise<string> {
  const first = await ctx.prompter.secret('New password: ', ctx.signal);
  if (first === '') throw new HaError('The password is empty; nothing was changed.', { hint: 'Type a password, or give it with --password.' });
  if (!ctx.io.interactive) return first;
  const second = await ctx.prompter.secret('New password (again): ', ctx.signal);
  if (first !== second) throw new HaError('The passwords do not match; nothing was changed.', { hint: 'Run the command again and type the same password twice.' });
  return first;
}

/** Lets the person pick a user by number (`--interactive`), as the `ha` CLI does. */
export async function pickUser(ctx: CommandContext, usernames: readonly string[]): Promise<string> {
  if (usernames.length === 0) throw new HaError('There are no users with a login name to reset.', { hint: "Check 'auth list'; to start over, see 'onboarding reset --help'." });
  ctx.io.stdout.write(usernames.map((name, i) => `${safeFormat`  ${i + 1}. ${name}`}\n`).join(''));
  for (;;) {
    const answer = (await ctx.prompter.line(`Select a user to reset the password for [1-${usernames.length}]: `, ctx.signal)).trim();
    const index = Number.parseInt(answer, 10);
    const chosen = /^\d+$/.test(answer) ? usernames[index - 1] : undefined;
    if (chosen !== undefined) return chosen;
    ctx.io.stdout.write(`Please type a number from 1 to ${usernames.length}.\n`);
  }
}
