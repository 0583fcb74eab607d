import type { AuthUserRow } from '../../targets/types';
import { shellWord } from './account-flags';

/** Lines under `auth list` naming deactivated and local-only accounts with the command that fixes each (pure, made safe). */
export function accountNotes(users: readonly AuthUserRow[]): string[] {
  return users.flatMap((u) => {
    if (u.username === null) return [];
    const who = shellWord(u.username);
    return [
      ...(u.isActive ? [] : [`${who} is deactivated and cannot log in; to let it in again: auth activate --username ${who}`]),
      ...(u.localOnly ? [`${who} may log in only from the local network; to allow it from anywhere: auth local-only --username ${who} off`] : []),
    ];
  });
}

/**
 * On a device the Supervisor's user list says nothing of two-factor logins: add them from the host's config folder
 * (Core writes it atomically, so it reads whole while Core runs). Rows stay as they were when it cannot be read.
 */
export async function withHostMfa(users: AuthUserRow[], hostConfigDir: string): Promise<AuthUserRow[]> {
  const { existsSync } = await import('node:fs');
  if (!existsSync(`${hostConfigDir}/.storage`)) return users;
  const { openConfigDirTarget } = await import('../../targets/config-dir/open');
  const rows = await openConfigDirTarget(hostConfigDir, { isRunning: async () => undefined })((target) => target.listMfa()).catch(() => undefined);
  if (rows === undefined) return users;
  return users.map((u) => {
    const row = rows.find((r) => r.username !== null && r.username === u.username);
    return row === undefined ? u : { ...u, mfa: row.modules };
  });
}
