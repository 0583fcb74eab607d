import { createInterface } from 'node:readline';
import { CancelledError } from '../errors/cancelled-error';
import type { Io, Prompter } from '../commands/types';
import { claimInput } from './input-claim';

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_U = 0x15;
const BACKSPACE = new Set([0x7f, 0x08]);

/** Applies one chunk of raw keyboard bytes to a secret being typed (pure). */
export function applySecretInput(current: string, chunk: string): { value: string; done: 'enter' | 'cancel' | 'eof' | undefined } {
  let value = current;
  for (const ch of chunk) {
    const code = ch.charCodeAt(0);
    if (ch === '\r' || ch === '\n') return { value, done: 'enter' };
    if (code === CTRL_C) return { value: '', done: 'cancel' };
    if (code === CTRL_D) {
      if (value === '') return { value, done: 'eof' };
      continue;
    }
    if (code === CTRL_U) value = '';
    else if (BACKSPACE.has(code)) value = Array.from(value).slice(0, -1).join('');
    else if (code >= 0x20) value += ch;
  }
  return { value, done: undefined };
}

/** Reads a secret in raw mode: nothing is echoed, Ctrl-C cancels, backspace and Ctrl-U edit. */
function readSecret(io: Io, question: string, signal: AbortSignal): Promise<string> {
  const { stdin, stdout } = io;
  return new Promise((resolve, reject) => {
    const wasRaw = (stdin as { isRaw?: boolean }).isRaw === true;
    const release = claimInput(stdin);
    let value = '';
    const finish = (error: Error | undefined): void => {
      release();
      stdin.removeListener('data', onData);
      signal.removeEventListener('abort', onAbort);
      if (stdin.setRawMode && !wasRaw) stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: Buffer | string): void => {
      const step = applySecretInput(value, data.toString());
      value = step.value;
      if (step.done === 'enter') finish(undefined);
      else if (step.done !== undefined) finish(new CancelledError());
    };
    const onAbort = (): void => finish(new CancelledError());
    stdout.write(question);
    if (stdin.setRawMode) stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads one visible line with line editing. */
function readLine(io: Io, question: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: io.interactive });
    const release = claimInput(io.stdin);
    rl.once('close', release);
    let answered = false;
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      if (!answered) reject(new CancelledError());
    });
    rl.question(question, { signal }, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

/** Reads a line from non-terminal stdin (a password piped in by a script). */
function readPipedLine(io: Io): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: io.stdin, terminal: false });
    let got = false;
    rl.once('line', (line) => {
      got = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!got) reject(new CancelledError());
    });
  });
}

/** The prompter used by commands: terminal prompts when interactive, stdin lines otherwise. */
export function createPrompter(io: Io): Prompter {
  return {
    secret: (question, signal) => (io.interactive ? readSecret(io, question, signal) : readPipedLine(io)),
    line: (question, signal) => (io.interactive ? readLine(io, question, signal) : readPipedLine(io)),
  };
}
