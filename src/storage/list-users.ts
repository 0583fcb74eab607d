import type { AuthUserRow } from '../targets/types';
import { readAuthStore } from './auth-store';
import type { StorageFs } from './fs';
import { enrolledModules, readMfaStores } from './mfa-store';

/** HA's provider type for local username/password logins. */
export const HOMEASSISTANT_PROVIDER_TYPE = 'homeassistant';

/**
 * People who can have a login: `auth` users joined with their homeassistant credential's username.
 * System users (Supervisor, Home Assistant Content, Cloud) are hidden. Missing `auth` = no users.
 * `mfa`: the modules each is enrolled in (`.storage/auth_module.*`).
 */
export async function listUsers(fs: StorageFs): Promise<AuthUserRow[]> {
  const auth = await readAuthStore(fs);
  const stores = await readMfaStores(fs);
  return auth.users
    .filter((user) => !user.systemGenerated)
    .map((user) => {
      const credential = auth.credentials.find(
        (c) => c.userId === user.id && c.providerType === HOMEASSISTANT_PROVIDER_TYPE && c.username !== undefined,
      );
      return {
        username: credential?.username ?? null,
        name: user.name ?? '',
        isOwner: user.isOwner,
        isActive: user.isActive,
        localOnly: user.localOnly,
        groupIds: user.groupIds,
        mfa: enrolledModules(stores, user.id),
      };
    });
}
