import type { ConsoleHooks, Io } from '../commands/types';
import type { InputGate } from './input-gate';
import { runLoginShell } from './login-shell';

/**
 * `login` inside the console: hands the terminal to a root shell (cooked mode, our reads stopped so
 * the shell gets every key) and takes it back when the shell exits.
 */
export function createLoginHook(io: Io, gate: InputGate): ConsoleHooks {
  return {
    async login(): Promise<number> {
      gate.suspend();
      io.stdout.write("Starting a root shell. Type 'exit' to come back to the console.\n");
      try {
        return await runLoginShell();
      } finally {
        gate.start();
      }
    },
  };
}
