import type { ConsoleHooks, Io } from '../commands/types';
import type { InputGate } from './input-gate';

/**
 * `login` inside the console: hands the terminal to a root shell (cooked mode, our reads stopped so
 * the shell gets every key: on tty1 the gate stops stdin's reads, on a serial line the port is closed)
 * and takes it back when the shell exits.
 */
export function createLoginHook(io: Io, gate: InputGate, terminal?: LoginTerminal): ConsoleHooks {
  return {
    async login(): Promise<number> {
      gate.suspend();
      // Said (and sent) before the serial port closes: writes made while it is closed wait for it.
      await new Promise((resolve) => io.stdout.write("Starting a root shell. Type 'exit' to come back to the console.\n", resolve));
      await terminal?.suspend();
      try {
        // Loaded when `login` is typed (child_process stays out of the idle console).
        const { runLoginShell } = await import('./login-shell');
        return await runLoginShell(undefined, terminal?.device);
      } finally {
        await terminal?.resume();
        gate.start({ afterShell: true });
      }
    },
  };
}

/** The console's own terminal device when it is not stdio (`--serial`): the shell runs on it. */
export interface LoginTerminal {
  readonly device: string;
  /** Stops reading the line for real (the port is closed), so the shell gets every key. */
  suspend(): Promise<void>;
  resume(): Promise<void>;
}
