/** A readable keyboard stream as prompts use it (a TTY's raw mode where there is one). */
export type KeyStream = NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown };

/**
 * How a prompt takes the keyboard: `keys` every key as it comes (a full-screen view); `line` the keys held
 * from before (type-ahead) up to the next Enter; `secret` drops the type-ahead first, as getpass and sudo
 * flush the terminal, so pasted lines meant for later are never taken as the password, run, kept or echoed.
 */
export type ClaimMode = 'keys' | 'line' | 'secret';

/** Lends the keyboard to one prompt at a time. */
export interface InputSource {
  /** Takes the input until `release` is called. */
  claim(mode?: ClaimMode): { readonly stream: KeyStream; release(): void };
  /** True for the REPL's reader: the same input also carries commands (typed, or a script on a pipe). */
  readonly readsCommands?: boolean;
  /** Stops the input for good: what is still to come (the rest of a script) is dropped, never run. */
  endInput?(): void;
}

/** The process's own stdin, lent as it is (one-shot commands: nothing else reads it). */
export function directInputSource(stdin: KeyStream): InputSource {
  return { claim: () => ({ stream: stdin, release: () => undefined }) };
}
