/** One Home Assistant user as a person needs to see it (system users are never listed). */
export interface AuthUserRow {
  /** Login name from the homeassistant auth provider credential, or null if the user has none. */
  readonly username: string | null;
  readonly name: string;
  readonly isOwner: boolean;
  readonly isActive: boolean;
  readonly localOnly: boolean;
  readonly groupIds: readonly string[];
  /** Multi-factor modules the user is enrolled in (`totp`, `notify`); absent when the target cannot tell (Supervisor). */
  readonly mfa?: readonly string[];
}

/** One person's multi-factor enrolments (`auth mfa list`). */
export interface MfaRow {
  readonly username: string | null;
  readonly name: string;
  /** Modules enrolled in, e.g. `['totp']`; empty: password only. */
  readonly modules: readonly string[];
}

/** What an MFA reset removed. */
export interface MfaResetOutcome {
  /** Login name as stored. */
  readonly username: string;
  /** Modules whose enrolment was removed. */
  readonly removed: readonly string[];
}

/** A new login to create (`auth add`). */
export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly admin: boolean;
  /** Display name; the login name when left out. */
  readonly name?: string;
}

/** What `auth add` created. */
export interface AddUserOutcome {
  /** Login name as stored (Core stores it stripped and case-folded unless the store is in legacy mode). */
  readonly username: string;
  readonly name: string;
  readonly admin: boolean;
}

/** A per-user switch in `.storage/auth` (`is_active`, `local_only`). */
export type UserFlag = 'is_active' | 'local_only';

/** What setting a user's flag did. */
export interface UserFlagOutcome {
  readonly username: string;
  readonly flag: UserFlag;
  readonly value: boolean;
  /** False when it already had that value (nothing was written). */
  readonly changed: boolean;
}

/** What a password reset changed. */
export interface ResetOutcome {
  /** Stored usernames whose hash was replaced (more than one when duplicates matched). */
  readonly updated: readonly string[];
}

/** What an onboarding reset moved, so it can be undone. */
export interface OnboardingResetOutcome {
  /** Folder that now holds the moved files. */
  readonly backupDir: string;
  /** File names moved into it (those that existed). */
  readonly moved: readonly string[];
}

/** Options shared by writing tasks. */
export interface WriteOptions {
  /** Write even though Home Assistant appears to be running on this config. */
  readonly force: boolean;
}

/** A place where auth and onboarding tasks act directly on `.storage` (config folder or disk image). */
export interface RecoveryTarget {
  /** Human description, e.g. `config folder /config` or `image sd.img (partition hassos-data)`. */
  readonly description: string;
  listUsers(): Promise<AuthUserRow[]>;
  resetPassword(username: string, password: string, options: WriteOptions): Promise<ResetOutcome>;
  resetOnboarding(options: WriteOptions): Promise<OnboardingResetOutcome>;
  /** Users and their multi-factor enrolments. */
  listMfa(): Promise<MfaRow[]>;
  /** Removes a user's enrolment in `modules` (`totp`, `notify`), so they log in with the password alone. */
  resetMfa(username: string, modules: readonly string[], options: WriteOptions): Promise<MfaResetOutcome>;
  /** Creates a working login: provider entry, user and credential. */
  addUser(user: NewUser, options: WriteOptions): Promise<AddUserOutcome>;
  /** Sets `is_active` or `local_only` of a user. */
  setUserFlag(username: string, flag: UserFlag, value: boolean, options: WriteOptions): Promise<UserFlagOutcome>;
}

/** Opens a target for the length of `fn` and always closes it (an image is unmounted in `finally`). */
export type TargetScope = <T>(fn: (target: RecoveryTarget) => Promise<T>) => Promise<T>;
