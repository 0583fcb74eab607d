/**
 * Who reads keyboard input right now. A prompt that reads a secret claims the input, so that the
 * Ctrl-C watcher of a running command does not also keep those keys as type-ahead for the next prompt.
 */
const claims = new WeakMap<object, number>();

/** Marks `stream`'s input as taken by a prompt until the returned function is called. */
export function claimInput(stream: object): () => void {
  claims.set(stream, (claims.get(stream) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    claims.set(stream, Math.max(0, (claims.get(stream) ?? 1) - 1));
  };
}

/** True while a prompt reads `stream`. */
export function isInputClaimed(stream: object): boolean {
  return (claims.get(stream) ?? 0) > 0;
}
