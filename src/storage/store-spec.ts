/** What the tasks need to know about one Home Assistant store (`.storage/<key>`). */
export interface StoreSpec {
  /** Store key and file name, e.g. `auth`. */
  readonly key: string;
  /** Major versions this code reads (Core migrates older ones itself on start). */
  readonly majorVersions: readonly number[];
  /** What Home Assistant does when this file is unreadable, for error messages. */
  readonly whenUnreadable: string;
}

/** Folder of the stores, relative to the config folder. */
export const STORAGE_DIR = '.storage';

/** Config-relative path of a store file. */
export function storePath(key: string): string {
  return `${STORAGE_DIR}/${key}`;
}

/** `.storage/auth` (homeassistant/auth/auth_store.py: STORAGE_VERSION 1, minor 1). */
export const AUTH_STORE: StoreSpec = {
  key: 'auth',
  majorVersions: [1],
  whenUnreadable: 'Home Assistant would start with no users',
};

/** `.storage/auth_provider.homeassistant` (homeassistant/auth/providers/homeassistant.py: version 1, minor 1). */
export const AUTH_PROVIDER_STORE: StoreSpec = {
  key: 'auth_provider.homeassistant',
  majorVersions: [1],
  whenUnreadable: 'Home Assistant would start with no passwords and nobody could log in',
};

/** `.storage/onboarding` (homeassistant/components/onboarding: version 4, minor 1; 1-3 are migrated). */
export const ONBOARDING_STORE: StoreSpec = {
  key: 'onboarding',
  majorVersions: [1, 2, 3, 4],
  whenUnreadable: 'Home Assistant would treat onboarding as not done',
};

/** Files an onboarding reset moves away, in the order that keeps partial states recoverable. */
export const ONBOARDING_RESET_KEYS: readonly string[] = ['onboarding', 'auth', 'auth_provider.homeassistant', 'hassio', 'cloud'];

/** Mode of auth files as Core writes them (private stores). */
export const PRIVATE_FILE_MODE = 0o600;

/** Mode of the backup folder an onboarding reset creates. */
export const BACKUP_DIR_MODE = 0o700;
