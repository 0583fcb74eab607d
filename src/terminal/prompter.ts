import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { CancelledError } from '../errors/cancelled-error';
import { HaError } from '../errors/ha-error';
import type { Io, Prompter } from '../commands/types';
import type { InputSource } from './input-source';

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_U = 0x15;
const ESC = 0x1b;
const BACKSPACE = new Set([0x7f, 0x08]);
// A key's escape sequence: CSI (arrows, Home, F5...), SS3 (arrows in application mode, F1-F4), or Alt+key.
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const KEY_SEQUENCE = /^\x1b(?:\[[0-?]*[ -/]*[@-~]|O.|[^[O])?/;

/** Applies one chunk of raw keyboard bytes to a secret being typed (pure); escape sequences (arrows...) are ignored. */
export function applySecretInput(current: string, chunk: string): { value: string; done: 'enter' | 'cancel' | 'eof' | undefined } {
  let value = current;
  for (let i = 0; i < chunk.length; i++) {
    const code = chunk.charCodeAt(i);
    const ch = chunk[i] as string;
    if (code === ESC) {
      i += (KEY_SEQUENCE.exec(chunk.slice(i))?.[0].length ?? 1) - 1;
      continue;
    }
    if (ch === '\r' || ch === '\n') return { value, done: 'enter' };
    if (code === CTRL_C) return { value: '', done: 'cancel' };
    if (code === CTRL_D) {
      if (value === '') return { value, done: 'eof' };
      continue;
    }
    if (code === CTRL_U) value = '';
    else if (BACKSPACE.has(code)) value = Array.from(value).slice(0, -1).join('');
    else if (code >= 0x20 && !(code >= 0x80 && code < 0xa0)) value += ch;
  }
  return { value, done: undefined };
}

/** Reads a secret in raw mode: nothing is echoed, Ctrl-C cancels, backspace and Ctrl-U edit. */
function readSecret(io: Io, source: InputSource, question: string, signal: AbortSignal): Promise<string> {
  const { stream, release } = source.claim('secret');
  return new Promise((resolve, reject) => {
    const wasRaw = stream.isRaw === true;
    const decoder = new StringDecoder('utf8');
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
      const step = applySecretInput(value, typeof data === 'string' ? data : decoder.write(data));
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
  const { stream, release } = source.claim('line');
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

/** A password line from a pipe as bytes: refused unless it is valid UTF-8 (U+FFFD would be hashed, not what was meant). */
export function decodePipedSecret(bytes: Uint8Array): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    throw new HaError('The password read from standard input is not valid UTF-8; nothing was changed.', { hint: 'Save or pipe it as UTF-8 text (iconv -t UTF-8), or type it at the prompt.' });
  }
}

/** Reads one line of raw bytes from a pipe (no echo, nothing decoded until the line is whole). */
function readPipedSecret(source: InputSource, signal: AbortSignal): Promise<string> {
  const { stream, release } = source.claim('line');
  return new Promise((resolve, reject) => {
    let bytes = Buffer.alloc(0);
    const finish = (complete: boolean): void => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      signal.removeEventListener('abort', onAbort);
      stream.pause();
      release();
      if (!complete) reject(new CancelledError());
      else {
        try {
          resolve(decodePipedSecret(bytes));
        } catch (error) {
          reject(error);
        }
      }
    };
    const onData = (data: Buffer | string): void => {
      bytes = Buffer.concat([bytes, typeof data === 'string' ? Buffer.from(data) : data]);
      const end = bytes.indexOf(0x0a);
      if (end === -1) return;
      bytes = bytes.subarray(0, end);
      finish(true);
    };
    const onEnd = (): void => finish(bytes.length > 0);
    const onAbort = (): void => finish(false);
    stream.on('data', onData);
    stream.once('end', onEnd);
    signal.addEventListener('abort', onAbort, { once: true });
    stream.resume();
  });
}

/** The prompter used by commands: terminal prompts when interactive, stdin lines otherwise (a password as checked bytes). */
export function createPrompter(io: Io, source: InputSource): Prompter {
  return {
    secret: (question, signal) => (io.interactive ? readSecret(io, source, question, signal) : readPipedSecret(source, signal)),
    line: (question, signal) => readLine(io, source, question, signal, io.interactive),
  };
}
