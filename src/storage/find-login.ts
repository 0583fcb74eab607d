import { HaError } from '../errors/ha-error';
import type { AuthStore, AuthUser } from './auth-store';
import { HOMEASSISTANT_PROVIDER_TYPE } from './list-users';
import { matchUsernames } from './normalize-username';

/** A person's account found by login name: the `auth` user and the name as stored in its credential. */
export interface FoundLogin {
  readonly user: AuthUser;
  readonly username: string;
}

/** Login names of the homeassistant credentials, in file order (for hints). */
export function loginNames(auth: AuthStore): string[] {
  return auth.credentials.flatMap((c) => (c.providerType === HOMEASSISTANT_PROVIDER_TYPE && c.username !== undefined ? [c.username] : []));
}

/**
 * The user whose homeassistant credential has login name `username`: exact match first, else strip()+casefold()
 * on both sides (as matchUsernames, like Core's provider). Refuses, changing nothing, when none or several
 * different users match (duplicate names differing in case: the person must pick the exact one).
 */
export function findLogin(auth: AuthStore, username: string): FoundLogin {
  const credentials = auth.credentials.filter((c) => c.providerType === HOMEASSISTANT_PROVIDER_TYPE && c.username !== undefined);
  const names = credentials.map((c) => c.username ?? '');
  const matches = matchUsernames(names, username).flatMap((i) => {
    const credential = credentials[i];
    const user = auth.users.find((u) => u.id === credential?.userId);
    return user === undefined || credential?.username === undefined ? [] : [{ user, username: credential.username }];
  });
  const userIds = new Set(matches.map((m) => m.user.id));
  const first = matches[0];
  if (first === undefined) {
    const known = loginNames(auth);
    throw new HaError(`No user with login name ${JSON.stringify(username)} in .storage/auth; nothing was changed`, {
      hint: known.length > 0 ? `Known login names: ${known.map((n) => JSON.stringify(n)).join(', ')}` : 'There are no users with a login name: `auth add` creates one.',
    });
  }
  if (userIds.size > 1) {
    throw new HaError(`Several users match ${JSON.stringify(username)} (${matches.map((m) => JSON.stringify(m.username)).join(', ')}); nothing was changed`, {
      hint: 'Give the login name exactly as `auth list` shows it.',
    });
  }
  return first;
}
