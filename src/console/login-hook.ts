import type { ConsoleHooks, Io } from '../commands/types';
import { runLoginShell } from './login-shell';

/**
 * `login` inside the console: hands the terminal to a root shell (cooked mode, our reads stopped so
 * the shell gets every key) and takes it back when the shell exits.
 */
export function createLoginHook(io: Io): ConsoleHooks {
  const { stdin } = io;
  return {
    async login(): Promise<number> {
      const wasRaw = (stdin as { isRaw?: boolean }).isRaw === true;
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stdout.write("Starting a root shell. Type 'exit' to come back to the console.\n");
      try {
        return await runLoginShell();
      } finally {
        if (wasRaw) {
          stdin.setRawMode?.(true);
          stdin.resume();
        }
      }
    },
  };
}
