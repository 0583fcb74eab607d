/** The user pressed Ctrl-C while a command ran. Not a failure of the console. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('Cancelled');
  }
}

/** True when `error` is a cancellation, ours or an AbortError from Node. */
export function isCancelledError(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError');
}
