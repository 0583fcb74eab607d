import { safeInline } from '../../render/safe-text';
import type { AddUserOutcome } from '../../targets/types';
import type { CommandSpec } from '../types';
import { FORCE_FLAG, requireUsername, shellWord, YES_FLAG } from './account-flags';
import { askNewPassword } from './ask-password';
import { changeAccounts } from './device-path';

/** What `auth add` created, in words (pure). */
export function describeAdd(outcome: AddUserOutcome, asked: string, where: string): string {
  const lines = [`Created ${outcome.admin ? 'administrator' : 'user'} '${safeInline(outcome.username)}' (${safeInline(outcome.name)}) in ${safeInline(where)}.`];
  if (outcome.username !== asked.trim()) lines.push(`Log in as '${safeInline(outcome.username)}': Home Assistant stores login names in lower case.`);
  lines.push(outcome.admin ? 'Log in with it, then fix the other accounts under Settings > People.' : 'Log in with it; an administrator can change it under Settings > People.');
  return lines.join('\n');
}

/** `auth add`: create a working login offline (or on a device with Core stopped), as Core's UI would. */
export const authAddCommand: CommandSpec = {
  name: 'add',
  aliases: ['create'],
  summary: 'Create a new login (e.g. a new administrator when the owner is lost)',
  targets: ['supervisor', 'config', 'image'],
  flags: [
    { name: 'username', kind: 'string', valueName: 'NAME', description: 'Login name of the new user' },
    { name: 'password', kind: 'string', valueName: 'PASSWORD', description: 'Its password (asked without echo when left out)' },
    { name: 'admin', kind: 'boolean', description: 'Make it an administrator (group system-admin)' },
    { name: 'name', kind: 'string', valueName: 'DISPLAY', description: 'Display name (default: the login name)' },
    FORCE_FLAG,
    YES_FLAG,
  ],
  examples: ['auth add --username rescue --admin', 'ha --image sdcard.img auth add --username rescue --admin --name "Rescue admin"'],
  async run(ctx, args) {
    const username = requireUsername(args, 'auth add');
    const password = typeof args.flags['password'] === 'string' ? args.flags['password'] : await askNewPassword(ctx);
    const admin = args.flags['admin'] === true;
    const name = typeof args.flags['name'] === 'string' ? args.flags['name'] : undefined;
    const words = `auth add --username ${shellWord(username)}${admin ? ' --admin' : ''}`;
    const change = await changeAccounts(ctx, `add the login '${safeInline(username)}'`, words, args.flags['yes'] === true, (target) =>
      target.addUser({ username, password, admin, ...(name !== undefined ? { name } : {}) }, { force: args.flags['force'] === true }));
    return { kind: 'text', text: describeAdd(change.outcome, username, change.where), body: JSON.stringify({ result: 'ok', data: change.outcome }) };
  },
};
