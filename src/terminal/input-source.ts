/** A readable keyboard stream as prompts use it (a TTY's raw mode where there is one). */
export type KeyStream = NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown };

/** Lends the keyboard to one prompt at a time. */
export interface InputSource {
  /** Takes the input until `release` is called. */
  claim(): { readonly stream: KeyStream; release(): void };
}

/** The process's own stdin, lent as it is (one-shot commands: nothing else reads it). */
export function directInputSource(stdin: KeyStream): InputSource {
  return { claim: () => ({ stream: stdin, release: () => undefined }) };
}
