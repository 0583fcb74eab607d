import { safeFormat, type SafeText } from '../../render/safe-text';
import type { ResetOutcome } from '../../targets/types';

/** One or two lines saying what a reset changed, naming duplicates (pure). */
export function describeReset(username: string, outcome: ResetOutcome, where: string): SafeText {
  const names = outcome.updated;
  if (names.length > 1) {
    const quoted = names.map((n) => safeFormat`'${n}'`).join(', ');
    return `${safeFormat`Password changed for ${names.length} stored users matching '${username}' (`}${quoted}${safeFormat`) in ${where}.`}\nNote: these login names differ only in case or spaces; consider removing the duplicates in Settings > People.` as SafeText;
  }
  return safeFormat`Password for '${names[0] ?? username}' changed in ${where}.`;
}
