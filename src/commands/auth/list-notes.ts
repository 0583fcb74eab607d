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
