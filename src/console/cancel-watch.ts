import type { Io } from '../commands/types';

/**
 * While a command runs, Ctrl-C aborts it instead of ending the console: in raw mode it arrives as
 * byte 0x03 on stdin, otherwise as SIGINT. Returns a function that stops watching.
 */
export function watchForCancel(io: Io, controller: AbortController): () => void {
  const { stdin } = io;
  const onData = (data: Buffer | string): void => {
    if (data.toString().includes('\x03')) controller.abort();
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
    }
  };
}
