import { HaError } from '../errors/ha-error';
import type { ResetOutcome, WriteOptions } from '../targets/types';
import { readAuthStore } from './auth-store';
import { parseProviderStore, readProviderStore, setProviderPassword } from './auth-provider-store';
import { decodeStore, encodeStore } from './envelope';
import type { StorageFs } from './fs';
import { matchUsernames } from './normalize-username';
import { checkNewPassword, hashPassword } from './password-hash';
import { refuseIfRunning, type RunningCheck } from './running-guard';
import { AUTH_PROVIDER_STORE, PRIVATE_FILE_MODE, storePath } from './store-spec';

/** Extra inputs of {@link resetPassword}. */
export interface ResetPasswordContext {
  readonly options?: WriteOptions;
  readonly checkRunning?: RunningCheck;
}

function notFound(username: string, known: readonly string[]): HaError {
  return new HaError(`User ${JSON.stringify(username)} not found in ${storePath(AUTH_PROVIDER_STORE.key)}; nothing was changed`, {
    hint:
      known.length > 0
        ? `Known usernames: ${known.join(', ')}`
        : 'There are no users with a password: `onboarding reset` lets you create the owner again.',
  });
}

/**
 * Sets a new password for `username` in `.storage/auth_provider.homeassistant`, like
 * `hass --script auth change_password`: exact match first, else strip()+casefold() on both sides;
 * every match is updated (Core changes the first duplicate but logs in with the last). Checks that
 * `auth` is readable too, writes atomically with mode 0600, and reads the result back.
 */
export async function resetPassword(fs: StorageFs, username: string, password: string, context: ResetPasswordContext = {}): Promise<ResetOutcome> {
  checkNewPassword(password);
  await readAuthStore(fs);
  const provider = await readProviderStore(fs);
  const matches = matchUsernames(provider.usernames, username);
  if (matches.length === 0 || provider.envelope === undefined) throw notFound(username, provider.usernames);
  await refuseIfRunning(context.checkRunning, context.options ?? { force: false });

  const stored = await hashPassword(password);
  setProviderPassword(provider, matches, stored);
  const bytes = encodeStore(provider.envelope);
  await fs.writeFileAtomic(storePath(AUTH_PROVIDER_STORE.key), bytes, PRIVATE_FILE_MODE);

  const back = await fs.readFile(storePath(AUTH_PROVIDER_STORE.key));
  const reread = parseProviderStore(back === undefined ? undefined : decodeStore(AUTH_PROVIDER_STORE, back));
  if (!matches.every((i) => reread.entries[i]?.get('password') === stored)) {
    throw new HaError(`${storePath(AUTH_PROVIDER_STORE.key)} did not read back as written`, {
      hint: 'The disk may be failing: check it (fsck) and try again.',
    });
  }
  return { updated: matches.map((i) => provider.usernames[i] ?? '') };
}
