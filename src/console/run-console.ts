import { statSync } from 'node:fs';
import type { Config } from '../config';
import type { Io } from '../commands/types';
import type { SessionParts } from '../cli/context';
import { renderError } from '../render/error';
import { safeLogLine } from '../render/safe-text';
import { terminalColumns } from '../terminal/capabilities';

/** Options of `ha console`. */
export interface ConsoleOptions {
  readonly parts: Omit<SessionParts, 'hooks' | 'mode'>;
  /** Kernel log source; undefined skips the kernel log phase (plain REPL). */
  readonly kmsgSource: string | undefined;
  /** A line shown before the kernel log (e.g. the demo's note). */
  readonly note?: string;
  /** Take the kernel's console log level while running (the appliance console; not the demo). */
  readonly ownLogLevel?: boolean;
  /** The terminal device when the console runs on a serial port (`login` starts its shell there). */
  readonly loginTerminal?: import('./login-hook').LoginTerminal;
}

/** Keeps the console alive whatever a bug throws: report it in one line and carry on. */
function guardProcess(io: Io, config: Config): void {
  const report = (error: unknown): void => {
    io.stderr.write(renderError(error, { color: io.color, debug: config.debug }));
  };
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
}

/** True for the kernel's own log device (not a file or FIFO given for a demo or a test). */
function isCharacterDevice(path: string): boolean {
  try {
    return statSync(path).isCharacterDevice();
  } catch {
    return false;
  }
}

/** Runs the login-shell console: kernel log until Enter, banner, REPL. Resolves with the exit status. */
export async function runConsole(options: ConsoleOptions): Promise<number> {
  const { io, config } = options.parts;
  guardProcess(io, config);
  // Ctrl-C outside a command must never end the console (commands watch for it themselves).
  process.on('SIGINT', () => undefined);
  if (options.note) io.stdout.write(`${options.note}\n`);
  let phase: Promise<void> = Promise.resolve();
  if (options.kmsgSource !== undefined) {
    const { runKernelLogPhase } = await import('./kernel-log-phase');
    phase = runKernelLogPhase({
      source: options.kmsgSource,
      input: io.stdin as NodeJS.ReadStream,
      output: io.stdout as NodeJS.WriteStream,
      color: io.color,
      columns: terminalColumns(io.stdout as NodeJS.WriteStream),
    });
  }
  // The rest of the console loads once Enter was pressed: nothing may delay the first kernel line.
  await phase;
  const { createSessionContexts } = await import('../cli/context');
  const { collectBanner, formatBanner } = await import('./banner');
  const { runRepl } = await import('./repl');
  const { createLoginHook } = await import('./login-hook');
  const { InputGate } = await import('./input-gate');
  const gate = new InputGate(io.stdin);
  const { NoticeBoard } = await import('./notice-board');
  const contextFor = createSessionContexts({ ...options.parts, mode: 'repl', hooks: createLoginHook(io, gate, options.loginTerminal), input: gate });
  const session = new AbortController();
  if (options.ownLogLevel !== false) void (await import('../host/keymap-io')).applySavedKeymap({ vconsoleConf: config.vconsoleConf, keymapDirs: config.keymapDirs });
  const restoreLogLevel = options.ownLogLevel === false ? () => undefined : takeConsoleLogLevel(config, options.kmsgSource);
  const context = contextFor(session.signal);
  const client = context.supervisorConfigured ? context.supervisor() : undefined;
  let port = 8123;
  try {
    const info = await collectBanner(client, session.signal);
    port = info.port;
    // Host name, addresses and versions come from the network and the Supervisor: only their colours may pass.
    io.stdout.write(`${safeLogLine(formatBanner(info, { color: io.color }))}\n\n`);
  } catch (error) {
    io.stderr.write(renderError(error, { color: io.color, debug: config.debug }));
  }
  const board = new NoticeBoard(io);
  if (options.kmsgSource !== undefined) (await import('./kernel-notices')).watchKernelNotices(options.kmsgSource, board, { color: io.color, signal: session.signal });
  (await import('./state-notices')).watchStateNotices(board, { client, signal: session.signal, port, supervisorPollMs: config.statusPollMs });
  preloadAtIdle(io, config.historyFile);
  try {
    return await runRepl({ io, gate, historyFile: config.historyFile, debug: config.debug, contextFor, board });
  } finally {
    session.abort();
    restoreLogLevel();
  }
}

/**
 * Loads the log viewer while the person reads the banner, so `core logs` opens it without delay, and readies
 * the history save that starts with the first command.
 */
function preloadAtIdle(io: Io, historyFile: string): void {
  const timer = setTimeout(() => {
    (require('./history') as typeof import('./history')).prepareHistorySave(historyFile);
    const { shouldUsePager } = require('../pager/should-use-pager') as typeof import('../pager/should-use-pager');
    if (!shouldUsePager(io.stdout as NodeJS.WriteStream, process.env, false)) return;
    require('../pager/open-pager');
    // What `dmesg` adds to the viewer: the feed it writes batches into, and the reader that fills them.
    require('../pager/pager-feed');
    require('./kernel-log-dump');
  }, VIEWER_PRELOAD_DELAY_MS);
  timer.unref();
}

/** When the viewer is loaded after the prompt first shows (an idle moment). */
const VIEWER_PRELOAD_DELAY_MS = 300;

/**
 * Owns the kernel's console log level while the console shows the real kernel log (so the kernel does
 * not print over the prompt), and gives it back on every way out, signals included.
 */
function takeConsoleLogLevel(config: Config, kmsgSource: string | undefined): () => void {
  if (kmsgSource === undefined || !isCharacterDevice(kmsgSource)) return () => undefined;
  const { ownConsoleLogLevel } = require('./printk-level') as typeof import('./printk-level');
  const restore = ownConsoleLogLevel(config.printkPath);
  const onSignal = (signal: NodeJS.Signals): void => {
    restore();
    process.exit(signal === 'SIGHUP' ? 129 : 143);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  process.once('exit', restore);
  return () => {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGHUP', onSignal);
    restore();
  };
}
