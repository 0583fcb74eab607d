import { HaError, isHaError } from '../../errors/ha-error';
import type { SupervisorClient } from '../../supervisor/api';
import { probeCoreRunning } from '../../supervisor/core-state';
import type { AuthUserRow } from '../../targets/types';
import type { CommandContext, CommandSpec } from '../types';
import { safeInline, type SafeText } from '../../render/safe-text';
import { accountNotes, withHostMfa } from './list-notes';
import { formatTable } from './table';

/** Users with login names, owner and active flags, from the Supervisor or an offline target. */
export async function fetchUsers(ctx: CommandContext): Promise<{ users: AuthUserRow[]; body?: string }> {
  const scope = await ctx.recoveryTarget({ write: false });
  if (scope) return { users: await scope((target) => target.listUsers()) };
  let result: Awaited<ReturnType<SupervisorClient['authList']>>;
  try {
    result = await ctx.supervisor().authList({ signal: ctx.signal });
  } catch (error) {
    if (isHaError(error) && (await probeCoreRunning(ctx.supervisor(), { signal: ctx.signal })) === 'stopped') {
      throw new HaError('Home Assistant Core is not running, so the Supervisor cannot list its users.', {
        hint: `Start it with 'core start', or read them offline: ha --config ${ctx.config.hostConfigDir} auth list`,
        ...(error.body !== undefined ? { body: error.body } : {}),
      });
    }
    throw error;
  }
  const users = result.data.users.map((u) => ({
    username: u.username,
    name: u.name,
    isOwner: u.is_owner,
    isActive: u.is_active,
    localOnly: u.local_only,
    groupIds: u.group_ids,
  }));
  return { users: await withHostMfa(users, ctx.config.hostConfigDir), body: result.body };
}

/**
 * Formats users as an aligned table (pure); names are data, so they are made safe before they are measured. An MFA
 * column when the source knows the enrolments (offline targets), then the deactivated and local-only accounts with
 * the command that fixes each.
 */
export function formatUserTable(users: readonly AuthUserRow[]): SafeText {
  if (users.length === 0) return safeInline('No users. Onboarding creates the first one when you open Home Assistant in a browser.');
  const withMfa = users.some((u) => u.mfa !== undefined);
  const rows = users.map((u) => [
    u.username === null ? '(no login)' : safeInline(u.username), safeInline(u.name), u.isOwner ? 'yes' : 'no', u.isActive ? 'yes' : 'no', u.groupIds.includes('system-admin') ? 'yes' : 'no',
    ...(withMfa ? [u.mfa === undefined || u.mfa.length === 0 ? 'none' : u.mfa.join(', ')] : []),
  ]);
  const table = formatTable(['USERNAME', 'NAME', 'OWNER', 'ACTIVE', 'ADMIN', ...(withMfa ? ['MFA'] : [])], rows);
  const notes = accountNotes(users);
  return (notes.length === 0 ? table : [table, '', ...notes].join('\n')) as SafeText;
}

/** `auth list`. */
export const authListCommand: CommandSpec = {
  name: 'list',
  aliases: ['ls'],
  summary: 'List the users who can log in, with their login names',
  flags: [],
  targets: ['supervisor', 'config', 'image'],
  examples: ['auth list', 'ha --config /config auth list', 'ha --image sdcard.img auth list'],
  async run(ctx) {
    const { users, body } = await fetchUsers(ctx);
    const json = JSON.stringify({ result: 'ok', data: { users } });
    return { kind: 'text', text: formatUserTable(users), body: body ?? json };
  },
};
