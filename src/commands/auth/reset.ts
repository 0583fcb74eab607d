import { UsageError } from '../../errors/usage-error';
import type { CommandSpec } from '../types';
import { askNewPassword, PASSWORD_STDIN_FLAG, pickUser } from './ask-password';
import { fetchUsers } from './list';
import { describeReset } from './reset-result';
import { resetThroughSupervisor } from './reset-supervisor';

/** `auth reset`: set a new password for a user, through the Supervisor or offline. */
export const authResetCommand: CommandSpec = {
  name: 'reset',
  aliases: ['rst', 'change'],
  summary: 'Set a new password for a user',
  targets: ['supervisor', 'config', 'image'],
  flags: [
    { name: 'username', kind: 'string', valueName: 'NAME', description: 'Login name of the user (see auth list)' },
    { name: 'password', kind: 'string', valueName: 'PASSWORD', description: 'New password (asked without echo when left out)' },
    PASSWORD_STDIN_FLAG,
    { name: 'interactive', short: 'i', kind: 'boolean', description: 'Pick the user from a list, then type the password' },
    { name: 'force', kind: 'boolean', description: 'Offline: write even though Home Assistant seems to be running there' },
  ],
  examples: ['auth reset --username alice', "auth reset --username alice --password 'new secret & more'", 'auth reset --interactive', 'ha --image sdcard.img auth reset --username alice'],
  async run(ctx, args) {
    let username = typeof args.flags['username'] === 'string' ? args.flags['username'] : undefined;
    if (args.flags['interactive'] === true) {
      if (!ctx.io.interactive) throw new UsageError('--interactive needs a terminal.', 'Give --username and --password-stdin (the password on the next line of input) in scripts.');
      const { users } = await fetchUsers(ctx);
      username = await pickUser(ctx, users.flatMap((u) => (u.username === null ? [] : [u.username])));
    }
    if (username === undefined) {
      if (!ctx.io.interactive) throw new UsageError('auth reset needs --username.', "Example: auth reset --username alice (see 'auth list' for login names).");
      username = (await ctx.prompter.line('Username: ', ctx.signal)).trim();
      if (username === '') throw new UsageError('No username given; nothing was changed.', "See 'auth list' for login names.");
    }
    const password = typeof args.flags['password'] === 'string' ? args.flags['password'] : await askNewPassword(ctx, { fromStdin: args.flags['password-stdin'] === true });
    const scope = await ctx.recoveryTarget();
    if (!scope) return resetThroughSupervisor(ctx, username, password);
    const force = args.flags['force'] === true;
    const result = await scope(async (target) => ({ outcome: await target.resetPassword(username, password, { force }), where: target.description }));
    return { kind: 'text', text: describeReset(username, result.outcome, result.where) };
  },
};
