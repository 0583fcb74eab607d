import { readStore } from './envelope';
import { isJsonArray, jsonTypeName } from './json-value';
import { invalidStoreError } from './store-errors';
import { ONBOARDING_STORE } from './store-spec';
import type { StorageFs } from './fs';

/** Steps Core 2024+ records when onboarding is finished (the list is open: newer Core may add steps). */
export const ONBOARDING_STEPS: readonly string[] = ['user', 'core_config', 'analytics', 'integration'];

/** `.storage/onboarding`: which onboarding steps are done; `exists` false when missing or empty. */
export interface OnboardingState {
  readonly exists: boolean;
  readonly done: readonly string[];
}

/** Reads and checks `.storage/onboarding` (`data.done` is a list of step names). */
export async function readOnboarding(fs: StorageFs): Promise<OnboardingState> {
  const envelope = await readStore(fs, ONBOARDING_STORE);
  if (envelope === undefined) return { exists: false, done: [] };
  const done = envelope.data.get('done');
  if (!isJsonArray(done) || !done.every((step): step is string => typeof step === 'string')) {
    throw invalidStoreError(ONBOARDING_STORE, `data.done is ${jsonTypeName(done)}, not a list of step names`);
  }
  return { exists: true, done };
}

/** Steps of {@link ONBOARDING_STEPS} not yet done (onboarding shows again only if one is missing AND there is no owner). */
export function missingOnboardingSteps(state: OnboardingState): string[] {
  return ONBOARDING_STEPS.filter((step) => !state.done.includes(step));
}
