import { UsageError } from '../../errors/usage-error';
import { safeInline } from '../../render/safe-text';
import type { MfaResetOutcome, MfaRow } from '../../targets/types';
import type { CommandSpec } from '../types';
import { FORCE_FLAG, requireUsername, shellWord, USERNAME_FLAG, YES_FLAG } from './account-flags';
import { changeAccounts, readAccounts } from './device-path';
import { formatTable } from './table';

const MODULES = ['totp', 'notify'];
/** What each module is, in the words of the profile page. */
const MODULE_TITLES: Readonly<Record<string, string>> = { totp: 'authenticator app (totp)', notify: 'notify code (notify)' };

/** `auth mfa list` as a table with the command that removes each enrolment (pure). */
export function formatMfaTable(rows: readonly MfaRow[]): string {
  if (rows.length === 0) return 'No users.';
  const table = formatTable(['USERNAME', 'NAME', 'MFA'], rows.map((r) => [r.username ?? '(no login)', r.name, r.modules.length > 0 ? r.modules.join(', ') : 'none']));
  const fixes = rows.filter((r) => r.modules.length > 0 && r.username !== null).map((r) => `  auth mfa reset --username ${shellWord(r.username ?? '')}`);
  return fixes.length === 0 ? table : [table, '', 'Lost the phone? Remove the enrolment, log in with the password, enrol again:', ...fixes].join('\n');
}

/** What an MFA reset did, in words (pure). */
export function describeMfaReset(outcome: MfaResetOutcome, modules: readonly string[], where: string): string {
  const who = `'${safeInline(outcome.username)}'`;
  if (outcome.removed.length === 0) return `${who} has no ${modules.map((m) => MODULE_TITLES[m] ?? m).join(' or ')} enrolment in ${safeInline(where)}; nothing was changed.`;
  return [
    `Removed the ${outcome.removed.map((m) => MODULE_TITLES[m] ?? m).join(' and ')} enrolment of ${who} in ${safeInline(where)}.`,
    'They log in with the password alone now, and can enrol again under Profile > Security.',
  ].join('\n');
}

/** `auth mfa list|reset`: two-factor enrolments (the Supervisor has no API for them). */
export const authMfaCommand: CommandSpec = {
  name: 'mfa',
  aliases: ['2fa'],
  summary: 'Two-factor login: list enrolments, remove a lost one (list|reset)',
  usage: 'list|reset',
  maxPositionals: 1,
  targets: ['supervisor', 'config', 'image'],
  flags: [USERNAME_FLAG, { name: 'module', kind: 'string', valueName: 'totp|notify|all', description: 'reset: which enrolment to remove (default all)' }, FORCE_FLAG, YES_FLAG],
  examples: ['auth mfa list', 'auth mfa reset --username alice', 'ha --image sdcard.img auth mfa reset --username alice --module totp'],
  async run(ctx, args) {
    const action = args.positionals[0] ?? 'list';
    if (action === 'list') {
      const rows = await readAccounts(ctx, 'auth mfa list', (target) => target.listMfa());
      return { kind: 'text', text: formatMfaTable(rows), body: JSON.stringify({ result: 'ok', data: { users: rows } }) };
    }
    if (action !== 'reset') throw new UsageError(`'auth mfa' does not know '${safeInline(action)}'.`, 'Use: auth mfa list, or auth mfa reset --username NAME [--module totp|notify|all]');
    const username = requireUsername(args, 'auth mfa reset');
    const module = typeof args.flags['module'] === 'string' ? args.flags['module'] : 'all';
    if (module !== 'all' && !MODULES.includes(module)) throw new UsageError(`--module must be totp, notify or all, not '${safeInline(module)}'.`);
    const modules = module === 'all' ? MODULES : [module];
    const words = `auth mfa reset --username ${shellWord(username)} --module ${module}`;
    const change = await changeAccounts(ctx, `remove the two-factor enrolment of '${safeInline(username)}'`, words, args.flags['yes'] === true, (target) =>
      target.resetMfa(username, modules, { force: args.flags['force'] === true }));
    return { kind: 'text', text: describeMfaReset(change.outcome, modules, change.where), body: JSON.stringify({ result: 'ok', data: change.outcome }) };
  },
};
