import { isCancelledError } from '../errors/cancelled-error';
import { isHaError } from '../errors/ha-error';
import { isUsageError } from '../errors/usage-error';
import { maskCredentials } from './mask-credentials';
import { safeInline, safeText } from './safe-text';

/** Exit status for each kind of failure (decided here and at the entry point only). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_CANCELLED = 130;

/** The exit status an error stands for. */
export function exitCodeOf(error: unknown): number {
  if (isUsageError(error)) return EXIT_USAGE;
  if (isCancelledError(error)) return EXIT_CANCELLED;
  return EXIT_FAILURE;
}

/**
 * Formats any thrown value as `Error: ...` plus `Hint: ...`; a stack only for bugs in debug mode. Every part is
 * made safe (controls shown visibly) and credentials in URLs are masked.
 */
export function renderError(error: unknown, options: { color: boolean; debug: boolean }): string {
  const red = (s: string): string => (options.color ? `\x1b[31m${s}\x1b[0m` : s);
  const dim = (s: string): string => (options.color ? `\x1b[2m${s}\x1b[0m` : s);
  if (isCancelledError(error)) return `${dim('Cancelled.')}\n`;
  if (isHaError(error) || isUsageError(error)) {
    const hint = error.hint ? `${dim(`Hint: ${safeText(maskCredentials(error.hint))}`)}\n` : '';
    return `${red('Error:')} ${oneLine(error.message)}\n${hint}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = options.debug && error instanceof Error && error.stack ? `${safeText(maskCredentials(error.stack))}\n` : '';
  const hint = options.debug ? '' : `${dim('Hint: this is a bug in ha-console; run again with HA_CONSOLE_DEBUG=1 to see details.')}\n`;
  return `${red('Error:')} unexpected failure: ${oneLine(message)}\n${stack}${hint}`;
}

/** Keeps an error on one line, whatever a server put in it: line breaks become spaces, other controls visible. */
function oneLine(text: string): string {
  const flat = safeInline(maskCredentials(text).replace(/[\r\n\t]+/g, ' ')).trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
