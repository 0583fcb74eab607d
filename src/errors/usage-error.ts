/** Bad command line: unknown command, wrong flag, missing value. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

/** True when `error` is a usage error. */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError;
}
