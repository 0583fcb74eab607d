import type { ResetOutcome } from '../../targets/types';

/** One or two lines saying what a reset changed, naming duplicates (pure). */
export function describeReset(username: string, outcome: ResetOutcome, where: string): string {
  const names = outcome.updated;
  if (names.length > 1) {
    return `Password changed for ${names.length} stored users matching '${username}' (${names.map((n) => `'${n}'`).join(', ')}) in ${where}.\nNote: these login names differ only in case or spaces; consider removing the duplicates in Settings > People.`;
  }
  return `Password for '${names[0] ?? username}' changed in ${where}.`;
}
