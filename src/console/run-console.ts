import type { Config } from '../config';
import type { Io } from '../commands/types';
import { renderError } from '../render/error';
import { terminalColumns } from '../terminal/capabilities';
import { collectBanner, formatBanner } from './banner';
import { runLoginShell } from './login-shell';
import { runRepl } from './repl';
import { createSessionContexts, type SessionParts } from '../cli/context';

/** Options of `ha console`. */
export interface ConsoleOptions {
  readonly parts: Omit<SessionParts, 'hooks' | 'mode'>;
  /** Kernel log source; undefined skips the kernel log phase (plain REPL). */
  readonly kmsgSource: string | undefined;
  /** A line shown before the kernel log (e.g. the demo's note). */
  readonly note?: string;
}

/** Keeps the console alive whatever a bug throws: report it in one line and carry on. */
function guardProcess(io: Io, config: Config): void {
  const report = (error: unknown): void => {
    io.stderr.write(renderError(error, { color: io.color, debug: config.debug }));
  };
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
}

/** Runs the login-shell console: kernel log until Enter, banner, REPL. Resolves with the exit status. */
export async function runConsole(options: ConsoleOptions): Promise<number> {
  const { io, config } = options.parts;
  guardProcess(io, config);
  // Ctrl-C outside a command must never end the console (commands watch for it themselves).
  process.on('SIGINT', () => undefined);
  const stdin = io.stdin;
  const hooks = {
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
  const contextFor = createSessionContexts({ ...options.parts, mode: 'repl', hooks });
  if (options.note) io.stdout.write(`${options.note}\n`);
  if (options.kmsgSource !== undefined) {
    const { runKernelLogPhase } = await import('./kernel-log-phase');
    await runKernelLogPhase({
      source: options.kmsgSource,
      input: io.stdin as NodeJS.ReadStream,
      output: io.stdout as NodeJS.WriteStream,
      color: io.color,
      columns: terminalColumns(io.stdout as NodeJS.WriteStream),
    });
  }
  try {
    const info = await collectBanner(contextFor(new AbortController().signal).supervisor(), new AbortController().signal);
    io.stdout.write(`${formatBanner(info, { color: io.color })}\n\n`);
  } catch (error) {
    io.stderr.write(renderError(error, { color: io.color, debug: config.debug }));
  }
  return runRepl({ io, historyFile: config.historyFile, debug: config.debug, contextFor });
}
