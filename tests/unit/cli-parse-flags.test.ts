import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/cli/parse-flags';
import { LOGS_FLAGS } from '../../src/commands/logs-command';
import { isUsageError } from '../../src/errors/usage-error';
import { thrownBy } from '../helpers/catch-error';

const parse = (words: string[]) => parseFlags(words, LOGS_FLAGS, 'core logs');

describe('parseFlags', () => {
  it.each([
    [['-f'], { follow: true }],
    [['--follow', '-n', '50'], { follow: true, lines: 50 }],
    [['-n50'], { lines: 50 }],
    [['--lines=7'], { lines: 7 }],
    [['-fv'], { follow: true, verbose: true }],
    [['-fn', '5'], { follow: true, lines: 5 }],
    [['-b', '-1'], { boot: '-1' }],
    [['--boot=-2'], { boot: '-2' }],
    [['--help'], { help: true }],
    [['--follow=false'], { follow: false }],
  ])('%j', (words, flags) => {
    expect(parse(words).flags).toEqual(flags);
  });

  it('keeps positionals and everything after --', () => {
    expect(parse(['eth0', '--', '-f']).positionals).toEqual(['eth0', '-f']);
  });

  it.each([
    [['--lnes', '5'], /Unknown flag --lnes/],
    [['-x'], /Unknown flag -x/],
    [['-n'], /needs a value/],
    [['-n', 'many'], /whole number/],
    [['--follow=maybe'], /takes no value/],
  ])('refuses %j', (words, message) => {
    const caught = thrownBy(() => parse(words));
    expect(isUsageError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });
});
