import { createInterface, type Interface } from 'node:readline';
import { tokenize } from '../cli/tokenize';
import { completeLine } from '../commands/complete';
import { executeWords } from '../commands/execute';
import type { CommandContext, Io } from '../commands/types';
import { renderError } from '../render/error';
import { watchForCancel } from './cancel-watch';
import { loadHistory, redactForHistory, saveHistory, HISTORY_LIMIT } from './history';

/** The prompt, as Home Assistant's console shows it. */
export const PROMPT = 'ha > ';

/** What the REPL needs from its surroundings. */
export interface ReplOptions {
  readonly io: Io;
  readonly historyFile: string;
  readonly debug: boolean;
  /** Builds a command context bound to a cancellation signal. */
  readonly contextFor: (signal: AbortSignal) => CommandContext;
  /** Called while a command that owns the terminal (login) runs. */
  readonly onCommandStart?: () => void;
}

type Read = { kind: 'line'; line: string } | { kind: 'interrupt' } | { kind: 'eof' };

/** Reads one line with a fresh readline interface, so nothing holds stdin while a command runs. */
function readOneLine(options: ReplOptions, history: string[]): Promise<Read> {
  const { io } = options;
  const terminal = io.stdin.isTTY === true;
  return new Promise((resolve) => {
    const rl: Interface = createInterface({
      input: io.stdin,
      output: io.stdout,
      terminal,
      history: [...history],
      historySize: HISTORY_LIMIT,
      removeHistoryDuplicates: true,
      completer: (line: string) => completeLine(line),
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
      io.stdin.pause();
      resolve(result);
    });
    rl.prompt();
  });
}

/** The read-run loop. Resolves with the exit status when the person types `exit` or Ctrl-D; never rejects. */
export async function runRepl(options: ReplOptions): Promise<number> {
  const { io } = options;
  const history = loadHistory(options.historyFile);
  for (;;) {
    let read: Read;
    try {
      read = await readOneLine(options, history);
    } catch (error) {
      io.stderr.write(renderError(error, { color: io.color, debug: options.debug }));
      continue;
    }
    if (read.kind === 'eof') {
      if (io.stdin.isTTY === true) io.stdout.write('\n');
      return 0;
    }
    if (read.kind === 'interrupt') continue;
    const line = read.line;
    if (line.trim() === '') continue;
    const kept = redactForHistory(line);
    if (kept !== undefined && kept.length <= 4096) {
      const at = history.indexOf(kept);
      if (at !== -1) history.splice(at, 1);
      history.unshift(kept);
      if (history.length > HISTORY_LIMIT) history.length = HISTORY_LIMIT;
      saveHistory(options.historyFile, history);
    }
    let words: string[];
    try {
      words = tokenize(line);
    } catch (error) {
      io.stderr.write(renderError(error, { color: io.color, debug: options.debug }));
      continue;
    }
    if (words.length === 0) continue;
    const controller = new AbortController();
    const stopWatching = watchForCancel(io, controller);
    try {
      const outcome = await executeWords(words, options.contextFor(controller.signal));
      if (outcome.exit) return outcome.code;
    } finally {
      stopWatching();
    }
  }
}
