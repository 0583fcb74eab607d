/** One Home Assistant user as a person needs to see it (system users are never listed). */
export interface AuthUserRow {
  /** Login name from the homeassistant auth provider credential, or null if the user has none. */
  readonly username: string | null;
  readonly name: string;
  readonly isOwner: boolean;
  readonly isActive: boolean;
  readonly localOnly: boolean;
  readonly groupIds: readonly string[];
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
}

/** Opens a target for the length of `fn` and always closes it (an image is unmounted in `finally`). */
export type TargetScope = <T>(fn: (target: RecoveryTarget) => Promise<T>) => Promise<T>;
