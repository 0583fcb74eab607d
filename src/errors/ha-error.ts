/** An expected failure: one honest line for the user and, where there is one, the next step. */
export class HaError extends Error {
  override readonly name = 'HaError';
  /** What to do next, shown as `Hint: ...` under the error line. */
  readonly hint: string | undefined;
  /** Raw response body, for `--raw-json` (printed verbatim). */
  readonly body: string | undefined;

  constructor(message: string, options: { hint?: string; body?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.body = options.body;
  }
}

/** True when `error` is an expected failure (as opposed to a bug). */
export function isHaError(error: unknown): error is HaError {
  return error instanceof HaError;
}
