import { describe, expect, it } from 'vitest';
import { splitLine, tokenize } from '../../src/cli/tokenize';
import { isUsageError } from '../../src/errors/usage-error';
import { thrownBy } from '../helpers/catch-error';

describe('tokenize', () => {
  it.each([
    ['core logs -n 50', ['core', 'logs', '-n', '50']],
    ['  auth   reset  ', ['auth', 'reset']],
    [`auth reset --password 'my secret & $HOME'`, ['auth', 'reset', '--password', 'my secret & $HOME']],
    [`--password "say \\"hi\\" \\$x \\\\ \\n"`, ['--password', 'say "hi" $x \\ \\n']],
    [`--password it\\'s`, ['--password', "it's"]],
    [`--password a\\ b`, ['--password', 'a b']],
    [`--password "it's"`, ['--password', "it's"]],
    [`--password 'a"b'`, ['--password', 'a"b']],
    [`--password ''`, ['--password', '']],
    [`--password a';'b|c&d`, ['--password', 'a;b|c&d']],
    ['pässwörd 🔑', ['pässwörd', '🔑']],
    ['', []],
  ])('%s', (line, expected) => {
    expect(tokenize(line)).toEqual(expected);
  });

  it.each([`auth reset --password 'open`, 'auth "open', 'trailing \\'])('refuses unbalanced input %s with a usage error', (line) => {
    const caught = thrownBy(() => tokenize(line));
    expect(isUsageError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/quote|backslash/);
  });

  it('tells completion whether the line ends inside a word', () => {
    expect(splitLine('core lo')).toMatchObject({ tokens: ['core', 'lo'], endsInWord: true, open: undefined });
    expect(splitLine('core ')).toMatchObject({ tokens: ['core'], endsInWord: false });
    expect(splitLine("auth reset --password 'x")).toMatchObject({ open: "'" });
  });

  it('handles a huge line without trouble', () => {
    const word = 'x'.repeat(1_000_000);
    expect(tokenize(`core ${word}`)).toEqual(['core', word]);
  });
});
