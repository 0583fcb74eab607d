import { HaError } from '../../errors/ha-error';
import { UsageError } from '../../errors/usage-error';
import type { CommandContext, FlagSpec } from '../types';
import { safeFormat } from '../../render/safe-text';

/** `--password-stdin`: the documented way to give a password without a terminal (as `docker login` has it). */
export const PASSWORD_STDIN_FLAG: FlagSpec = { name: 'password-stdin', kind: 'boolean', description: 'Read the password from the next line of standard input (scripts)' };

/**
 * Asks for the new password twice without echo, or reads one line from a pipe: for a one-shot command its
 * standard input, in a script piped to the prompt (`ha < script`) only with `--password-stdin` (the next line);
 * otherwise the script is refused and ends, so the lines after it (likely the password) are never run.
 */
export async function askNewPassword(ctx: CommandContext, options: { fromStdin?: boolean } = {}): Promise<string> {
  if (!ctx.io.interactive && ctx.input.readsCommands === true && options.fromStdin !== true) {
    ctx.input.endInput?.();
    throw new UsageError('No terminal to type the password on, and this script did not say the next line is the password; the rest of the script is not run.', 'In a script, write the command with --password-stdin and put the password on the next line.');
  }
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
