import { describe, expect, it } from 'vitest';
import { resolveCommand, suggest } from '../../src/commands/resolve';
import { completeLine } from '../../src/commands/complete';
import { isUsageError } from '../../src/errors/usage-error';
import { thrownBy } from '../helpers/catch-error';

function pathOf(words: string[]): string {
  const r = resolveCommand(words);
  return r.path;
}

describe('resolveCommand', () => {
  it.each([
    [['core', 'logs'], 'core logs'],
    [['ha', 'core', 'logs'], 'core logs'],
    [['homeassistant', 'log'], 'core logs'],
    [['ha', 'logs'], 'core logs'],
    [['authentication', 'rst'], 'auth reset'],
    [['au', 'ls'], 'auth list'],
    [['host', 'rb'], 'host reboot'],
    [['host', 'restart'], 'host reboot'],
    [['dmesg'], 'dmesg'],
    [['core'], 'core'],
  ])('%j → %s', (words, path) => {
    expect(pathOf(words)).toBe(path);
  });

  it.each([
    [['cor', 'logs'], /Unknown command 'cor'/, /core/],
    [['core', 'lgos'], /Unknown command 'core lgos'/, /core logs/],
    [['\x1b[2J\x00'], /Unknown command '\?\[2J\?'/, /help/],
  ])('refuses %j with one line and a hint', (words, message, hint) => {
    const caught = thrownBy(() => resolveCommand(words));
    expect(isUsageError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toMatch(/\n/);
    expect((caught as { hint: string }).hint).toMatch(hint);
  });

  it('suggests near names', () => {
    expect(suggest('hots', ['core', 'host', 'dns'])).toEqual(['host']);
  });
});

describe('completeLine', () => {
  it.each([
    ['', ['core ', 'supervisor ', 'host ', 'dns ', 'network ', 'auth ', 'onboarding ', 'backups ', 'files ', 'info ', 'banner ', 'dmesg ', 'login ', 'help ', 'exit ']],
    ['co', ['core ']],
    ['core l', ['logs ']],
    ['ha core l', ['logs ']],
    ['core logs --f', ['--follow ']],
    ['auth reset --p', ['--password ', '--password-stdin ']],
    ['nothing here', []],
  ])('%j', (line, expected) => {
    expect(completeLine(line)[0]).toEqual(expected);
  });
});
