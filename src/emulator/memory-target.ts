import type { AuthUserRow, RecoveryTarget, TargetScope } from '../targets/types';

/** A user of the in-memory store (no hashes: the demo never checks passwords). */
interface MemoryUser extends AuthUserRow {
  passwordChanges: number;
}

/**
 * A user store held in memory, for the `npm start` demo when no `--config DIR` is given.
 * Usernames match case-insensitively, as Home Assistant's auth provider normalizes them.
 */
export function createMemoryTarget(usernames: readonly string[] = ['admin', 'family']): { scope: TargetScope; passwordChanges: (username: string) => number } {
  const users: MemoryUser[] = usernames.map((username, index) => ({
    username, name: username.charAt(0).toUpperCase() + username.slice(1), isOwner: index === 0, isActive: true, localOnly: false,
    groupIds: [index === 0 ? 'system-admin' : 'system-users'], passwordChanges: 0,
  }));
  const target: RecoveryTarget = {
    description: 'in-memory demo users',
    listUsers: () => Promise.resolve(users.map(({ passwordChanges: _changes, ...row }) => row)),
    resetPassword: (username) => {
      const matched = users.filter((u) => u.username?.toLowerCase() === username.trim().toLowerCase());
      for (const user of matched) user.passwordChanges += 1;
      return Promise.resolve({ updated: matched.map((u) => u.username ?? '') });
    },
    resetOnboarding: () => Promise.reject(new Error('The in-memory demo store has no onboarding files')),
    listMfa: () => Promise.resolve(users.map((u) => ({ username: u.username, name: u.name, modules: [] }))),
    resetMfa: () => Promise.reject(new Error('The in-memory demo store has no multi-factor files')),
    addUser: () => Promise.reject(new Error('The in-memory demo store cannot add users')),
    setUserFlag: () => Promise.reject(new Error('The in-memory demo store cannot change users')),
  };
  return {
    scope: (fn) => fn(target),
    passwordChanges: (username) => users.find((u) => u.username === username)?.passwordChanges ?? 0,
  };
}
