import type { Io } from '../commands/types';
import { isInputClaimed } from '../terminal/input-claim';

/** Type-ahead kept while a command runs (more is dropped: nobody types that much ahead). */
const TYPEAHEAD_LIMIT_BYTES = 64 * 1024;

/**
 * While a command runs, Ctrl-C aborts it instead of ending the console: in raw mode it arrives as
 * byte 0x03 on stdin, otherwise as SIGINT. Keys typed meanwhile are kept and handed back to the next
 * prompt (type-ahead), except after Ctrl-C and except what a prompt of the command itself read.
 * Returns a function that stops watching.
 */
export function watchForCancel(io: Io, controller: AbortController): () => void {
  const { stdin } = io;
  let typeahead: Buffer[] = [];
  let size = 0;
  const onData = (data: Buffer | string): void => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    if (chunk.includes(0x03)) {
      typeahead = [];
      controller.abort();
      return;
    }
    if (isInputClaimed(stdin) || controller.signal.aborted || size + chunk.length > TYPEAHEAD_LIMIT_BYTES) return;
    typeahead.push(chunk);
    size += chunk.length;
  };
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  const tty = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  if (tty) {
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  }
  return () => {
    process.removeListener('SIGINT', onSignal);
    if (tty) {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      if (typeahead.length > 0 && !controller.signal.aborted) stdin.unshift(Buffer.concat(typeahead));
    }
  };
}
