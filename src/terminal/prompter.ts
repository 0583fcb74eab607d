import { createInterface } from 'node:readline';
import { CancelledError } from '../errors/cancelled-error';
import type { Io, Prompter } from '../commands/types';
import type { InputSource } from './input-source';

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
function readSecret(io: Io, source: InputSource, question: string, signal: AbortSignal): Promise<string> {
  const { stream, release } = source.claim();
  return new Promise((resolve, reject) => {
    const wasRaw = stream.isRaw === true;
    let value = '';
    const finish = (error: Error | undefined): void => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      signal.removeEventListener('abort', onAbort);
      if (!wasRaw) stream.setRawMode?.(false);
      stream.pause();
      release();
      io.stdout.write('\n');
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
    const onEnd = (): void => finish(new CancelledError());
    io.stdout.write(question);
    stream.setRawMode?.(true);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.resume();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads one line: with line editing on a terminal, plain from a pipe (a password piped in by a script). */
function readLine(io: Io, source: InputSource, question: string, signal: AbortSignal, terminal: boolean): Promise<string> {
  const { stream, release } = source.claim();
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: stream, ...(terminal ? { output: io.stdout } : {}), terminal });
    let answered = false;
    const onAbort = (): void => rl.close();
    signal.addEventListener('abort', onAbort, { once: true });
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      signal.removeEventListener('abort', onAbort);
      stream.pause();
      release();
      if (!answered) reject(new CancelledError());
    });
    const onLine = (line: string): void => {
      answered = true;
      resolve(line);
      rl.close();
    };
    if (terminal) rl.question(question, onLine);
    else rl.once('line', onLine);
  });
}

/** The prompter used by commands: terminal prompts when interactive, stdin lines otherwise. */
export function createPrompter(io: Io, source: InputSource): Prompter {
  return {
    secret: (question, signal) => (io.interactive ? readSecret(io, source, question, signal) : readLine(io, source, question, signal, false)),
    line: (question, signal) => readLine(io, source, question, signal, io.interactive),
  };
}
