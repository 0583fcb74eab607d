import type { ConsoleHooks, Io } from '../commands/types';
import type { InputGate } from './input-gate';
import { runLoginShell } from './login-shell';

/**
 * `login` inside the console: hands the terminal to a root shell (cooked mode, our reads stopped so
 * the shell gets every key) and takes it back when the shell exits.
 */
export function createLoginHook(io: Io, gate: InputGate, terminal?: LoginTerminal): ConsoleHooks {
  return {
    async login(): Promise<number> {
      gate.suspend();
      terminal?.suspend();
      io.stdout.write("Starting a root shell. Type 'exit' to come back to the console.\n");
      try {
        return await runLoginShell(undefined, terminal?.device);
      } finally {
        terminal?.resume();
        gate.start();
      }
    },
  };
}

/** The console's own terminal device when it is not stdio (`--serial`): the shell runs on it. */
export interface LoginTerminal {
  readonly device: string;
  suspend(): void;
  resume(): void;
}
