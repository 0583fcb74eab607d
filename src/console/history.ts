import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { splitLine } from '../cli/tokenize';

/** Lines of history kept across restarts. */
export const HISTORY_LIMIT = 500;

const SECRET_FLAGS = new Set(['--password', '--api-token']);

/**
 * Removes secrets from a line before it is kept (pure): the values of `--password` and `--api-token`
 * become `***`. A line that cannot be parsed but mentions a secret flag is not kept at all.
 */
export function redactForHistory(line: string): string | undefined {
  const split = splitLine(line);
  const mentionsSecret = [...SECRET_FLAGS].some((flag) => line.includes(flag));
  if (!mentionsSecret) return line;
  if (split.open !== undefined) return undefined;
  const out: string[] = [];
  for (let i = 0; i < split.tokens.length; i++) {
    const token = split.tokens[i] as string;
    const eq = token.indexOf('=');
    if (eq > 0 && SECRET_FLAGS.has(token.slice(0, eq))) out.push(`${token.slice(0, eq)}=***`);
    else if (SECRET_FLAGS.has(token)) {
      out.push(token);
      if (i + 1 < split.tokens.length) {
        out.push('***');
        i++;
      }
    } else out.push(/[\s'"\\]/.test(token) ? `'${token.replace(/'/g, `'\\''`)}'` : token);
  }
  return out.join(' ');
}

/** Reads history, newest first (readline's order); a missing or unreadable file is empty history. */
export function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').reverse().slice(0, HISTORY_LIMIT);
  } catch {
    return [];
  }
}

/** Writes history atomically (temp file, fsync, rename), oldest first; failures are ignored (history is a comfort). */
export function saveHistory(file: string, newestFirst: readonly string[]): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, `${[...newestFirst].slice(0, HISTORY_LIMIT).reverse().join('\n')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch {
    // A read-only or full disk must not break the console.
  }
}
