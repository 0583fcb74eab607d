// Public surface of the `.storage` library (used by the config-dir and image targets and by commands).
export type { StorageFs } from './fs';
export { createStorageTarget } from './storage-target';
export { listUsers } from './list-users';
export { resetPassword } from './reset-password';
export { resetOnboarding, onboardingBackupDir, ONBOARDING_BACKUP_PREFIX } from './reset-onboarding';
export { hashPassword, verifyPassword, BCRYPT_COST, BCRYPT_MAX_BYTES } from './password-hash';
export { normalizeUsername, casefold, pythonStrip, matchUsernames } from './normalize-username';
export { readStore, decodeStore, encodeStore, type StoreEnvelope } from './envelope';
export { STORAGE_DIR, PRIVATE_FILE_MODE } from './store-spec';
export type { RunningCheck } from './running-guard';
export { readOnboarding, missingOnboardingSteps, ONBOARDING_STEPS, type OnboardingState } from './onboarding-store';
export { readAuthStore, type AuthStore, type AuthUser, type AuthCredential } from './auth-store';
export { readProviderStore, type ProviderStore } from './auth-provider-store';
