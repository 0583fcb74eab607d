import { createInterface, type Interface } from 'node:readline';
import { tokenize } from '../cli/tokenize';
import { completeLine } from '../commands/complete';
import { executeWords } from '../commands/execute';
import { recoveryTargetOf, registryFor } from '../commands/target-support';
import type { CommandContext, Io, RegistryEntry } from '../commands/types';
import { EXIT_OK, exitCodeOf, renderError } from '../render/error';
import type { KeyStream } from '../terminal/input-source';
import { loadHistory, redactForHistory, saveHistory, HISTORY_LIMIT } from './history';
import type { InputGate } from './input-gate';
import type { NoticeBoard } from './notice-board';

/** The prompt, as Home Assistant's console shows it. */
export const PROMPT = 'ha > ';

/** What the REPL needs from its surroundings. */
export interface ReplOptions {
  readonly io: Io;
  /** The single reader of the keyboard (started and stopped by the REPL). */
  readonly gate: InputGate;
  readonly historyFile: string;
  readonly debug: boolean;
  /** Builds a command context bound to a cancellation signal. */
  readonly contextFor: (signal: AbortSignal) => CommandContext;
  /** Where kernel, network and Supervisor notices appear above the prompt. */
  readonly board?: NoticeBoard;
}

type Read = { kind: 'line'; line: string } | { kind: 'interrupt' } | { kind: 'eof' };

/** Reads one line with a fresh readline interface over the gate's next line. */
function readOneLine(io: Io, input: KeyStream, history: readonly string[], board: NoticeBoard | undefined, registry: readonly RegistryEntry[]): Promise<Read> {
  const terminal = io.stdin.isTTY === true;
  return new Promise((resolve) => {
    const rl: Interface = createInterface({
      input,
      output: io.stdout,
      terminal,
      history: [...history],
      historySize: HISTORY_LIMIT,
      removeHistoryDuplicates: true,
      completer: (line: string) => completeLine(line, registry),
      tabSize: 4,
    });
    let result: Read = { kind: 'eof' };
    rl.setPrompt(io.color ? `\x1b[32m${PROMPT}\x1b[0m` : PROMPT);
    rl.on('line', (line) => {
      result = { kind: 'line', line };
      rl.close();
    });
    rl.on('SIGINT', () => {
      result = { kind: 'interrupt' };
      io.stdout.write('^C\n');
      rl.close();
    });
    rl.on('close', () => {
      board?.detach();
      resolve(result);
    });
    rl.prompt();
    board?.attach(rl);
  });
}

/** Keeps a line in history (secrets redacted) and saves it; resolves once it is on disk. */
function remember(history: string[], line: string, file: string): Promise<void> {
  const kept = redactForHistory(line);
  if (kept === undefined || kept.length > 4096) return Promise.resolve();
  const at = history.indexOf(kept);
  if (at !== -1) history.splice(at, 1);
  history.unshift(kept);
  if (history.length > HISTORY_LIMIT) history.length = HISTORY_LIMIT;
  return saveHistory(file, history);
}

/** Runs one line as a command; Ctrl-C (a key through the gate, or SIGINT) cancels it. Resolves with its status. */
async function runLine(options: ReplOptions, line: string): Promise<{ code: number; exit: boolean }> {
  const { io, gate } = options;
  let words: string[];
  try {
    words = tokenize(line);
  } catch (error) {
    io.stderr.write(renderError(error, { color: io.color, debug: options.debug }));
    return { code: exitCodeOf(error), exit: false };
  }
  if (words.length === 0) return { code: EXIT_OK, exit: false };
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  gate.runCommand(interrupt);
  process.on('SIGINT', interrupt);
  try {
    return await executeWords(words, options.contextFor(controller.signal));
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}

/**
 * The read-run loop. Resolves with the exit status when the person types `exit` or Ctrl-D; never rejects.
 * A script on a pipe (`ha < script`) ends at its last line with the status of its last failed command (0 when
 * none failed), so scripts can notice.
 */
export async function runRepl(options: ReplOptions): Promise<number> {
  const { io, gate } = options;
  const history = loadHistory(options.historyFile);
  // Started with --config/--image, Tab offers only the commands that work there.
  const registry = registryFor(recoveryTargetOf(options.contextFor(new AbortController().signal).globals));
  let lastFailure = EXIT_OK;
  gate.start();
  try {
    for (;;) {
      const read = await readOneLine(io, gate.nextLine(), history, options.board, registry);
      if (read.kind === 'eof') {
        if (io.stdin.isTTY === true) io.stdout.write('\n');
        return io.stdin.isTTY === true ? EXIT_OK : lastFailure;
      }
      if (read.kind === 'interrupt' || read.line.trim() === '') continue;
      // The history is written while the command runs (it is off the command's path) and is on disk before
      // the next prompt.
      const saved = remember(history, read.line, options.historyFile);
      const outcome = await runLine(options, read.line).finally(() => saved);
      if (outcome.exit) return outcome.code;
      if (outcome.code !== EXIT_OK) lastFailure = outcome.code;
    }
  } finally {
    gate.suspend();
  }
}
