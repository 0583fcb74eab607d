import { promises as fsp, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { splitLine } from '../cli/tokenize';

/** Lines of history kept across restarts. */
export const HISTORY_LIMIT = 500;

const SECRET_FLAGS = new Set(['--password', '--api-token']);

/** The secret flag a token resolves to once quoting is removed (`--pass""word`, `"--password=x"`), if any. */
function secretFlagOf(token: string): string | undefined {
  const eq = token.indexOf('=');
  const name = eq === -1 ? token : token.slice(0, eq);
  return SECRET_FLAGS.has(name) ? name : undefined;
}

/** A token written back so that it splits the same way again. */
function quoteToken(token: string): string {
  return token === '' || /[\s'"\\]/.test(token) ? `'${token.replace(/'/g, `'\\''`)}'` : token;
}

/**
 * Removes secrets from a line before it is kept (pure). Decided on the tokens, as the flag parser sees them:
 * the value of any token that resolves to `--password` or `--api-token`, however quoted, becomes `***`
 * (`--password ***`, `--password=***`). A line that cannot be tokenized is not kept at all.
 */
export function redactForHistory(line: string): string | undefined {
  const split = splitLine(line);
  if (split.open !== undefined) return undefined;
  if (!split.tokens.some((token) => secretFlagOf(token) !== undefined)) return line;
  const out: string[] = [];
  for (let i = 0; i < split.tokens.length; i++) {
    const token = split.tokens[i] as string;
    const flag = secretFlagOf(token);
    if (flag === undefined) out.push(quoteToken(token));
    else if (token.includes('=')) out.push(`${flag}=***`);
    else {
      out.push(flag);
      if (i + 1 < split.tokens.length) {
        out.push('***');
        i++;
      }
    }
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

/**
 * Readies what saving history needs, at an idle moment: Node's thread pool (started on first use, which was
 * the first command's Enter) and the code that keeps a line. Writes nothing.
 */
export function prepareHistorySave(file: string): void {
  redactForHistory('core logs');
  fsp.access(dirname(file)).catch(() => undefined);
}

/**
 * Writes history atomically (temp file, fsync, rename), oldest first, on the thread pool so the command that was
 * typed starts at once; failures are ignored (history is a comfort). Callers wait for it before the next prompt.
 */
export async function saveHistory(file: string, newestFirst: readonly string[]): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const text = `${[...newestFirst].slice(0, HISTORY_LIMIT).reverse().join('\n')}\n`;
  try {
    await fsp.mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const handle = await fsp.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, file);
  } catch {
    // A read-only or full disk must not break the console.
  }
}
