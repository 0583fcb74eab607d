import { UsageError } from '../errors/usage-error';

/** Result of splitting a line; `open` tells which quote (or a trailing backslash) is still unclosed. */
export interface Tokenized {
  readonly tokens: string[];
  readonly open: "'" | '"' | '\\' | undefined;
  /** True when the line ends inside a word (no trailing whitespace): completion works on the last token. */
  readonly endsInWord: boolean;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f']);
// Characters a backslash escapes inside double quotes (POSIX sh); elsewhere the backslash stays.
const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '$', '`']);

/**
 * Splits a line like a POSIX shell does, without any expansion: single quotes keep everything,
 * double quotes allow `\"` `\\` `\$` and `` \` ``, a backslash outside quotes escapes any character.
 * `$`, `&`, `;`, `|` are ordinary characters, so passwords arrive exactly as typed.
 */
export function splitLine(line: string): Tokenized {
  const tokens: string[] = [];
  let current = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && DOUBLE_QUOTE_ESCAPES.has(line[i + 1] as string)) current += line[++i];
      else if (ch === '\\' && i + 1 >= line.length) return { tokens: [...tokens, current], open: '"', endsInWord: true };
      else current += ch;
    } else if (ch === '\\') {
      if (i + 1 >= line.length) return { tokens: [...tokens, current], open: '\\', endsInWord: true };
      current += line[++i];
      inWord = true;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (WHITESPACE.has(ch)) {
      if (inWord) tokens.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) tokens.push(current);
  return { tokens, open: quote, endsInWord: inWord };
}

/** Splits a command line or throws a UsageError for an unclosed quote. */
export function tokenize(line: string): string[] {
  const result = splitLine(line);
  if (result.open === '\\') throw new UsageError('The line ends with a lone backslash.', 'Remove it, or quote it: \'\\\'.');
  if (result.open !== undefined) {
    const name = result.open === "'" ? 'single' : 'double';
    throw new UsageError(`Unbalanced ${name} quote (${result.open}) in the command line.`, `Close it, e.g. --password ${result.open}my secret${result.open}. To type a ${result.open} itself, use \\${result.open} or the other kind of quotes.`);
  }
  return result.tokens;
}
