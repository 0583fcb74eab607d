import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyDemoConfig, passwordMatches } from '../helpers/demo-target';
import { runHa } from '../helpers/run-ha';
import { KEYS, TerminalSession } from '../helpers/terminal-session';

// A password is read only from what was typed at its prompt (a terminal) or from the line a script says
// holds it (--password-stdin): never from type-ahead, never run as a command, kept in history or echoed.

const sessions: TerminalSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

function historyFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'ha-history-')), 'history');
}

function historyText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The prompt on a config folder, in a real pty. */
async function promptOn(dir: string, history: string): Promise<TerminalSession> {
  const s = new TerminalSession({ args: ['--config', dir], env: { HA_CONSOLE_HISTORY: history } });
  sessions.push(s);
  await s.waitFor(/ha > $/m);
  return s;
}

describe('the password prompt on a terminal', () => {
  it('discards pasted type-ahead: it is not the password, not run, not kept, not echoed', async () => {
    const dir = copyDemoConfig();
    const history = historyFile();
    const s = await promptOn(dir, history);
    s.type(`auth reset --username alice${KEYS.enter}Pasted-S3cret${KEYS.enter}Pasted-S3cret${KEYS.enter}`);
    await s.waitFor('New password: ');
    s.type(`typed-pass-1${KEYS.enter}`);
    await s.waitFor('New password (again): ');
    s.type(`typed-pass-1${KEYS.enter}`);
    await s.waitFor("Password for 'alice' changed");
    await s.waitFor(/changed.*\n(.*\n)*ha > $/);
    s.type(`auth list${KEYS.enter}`);
    await s.waitFor(/^bob\s+Bob/m);
    s.type(`exit${KEYS.enter}`);
    expect(await s.waitForExit()).toBe(0);
    expect(passwordMatches(dir, 'alice', 'typed-pass-1')).toBe(true);
    expect(s.screen()).not.toContain('Pasted');
    expect(s.screen()).not.toContain('Unknown command');
    expect(s.raw).not.toContain('Pasted');
    expect(historyText(history)).toContain('auth reset --username alice');
    expect(historyText(history)).not.toContain('Pasted');
    expect(historyText(history)).not.toContain('typed-pass');
  });

  it('ignores arrow keys and other escape sequences at the hidden prompt', async () => {
    const dir = copyDemoConfig();
    const s = new TerminalSession({ args: ['--config', dir, 'auth', 'reset', '--username', 'alice'] });
    sessions.push(s);
    await s.waitFor('New password: ');
    s.type('ab\x1b[Dc\x1bOA\x1b[3~d\x1b[1;5C\r');
    await s.waitFor('New password (again): ');
    s.type('abcd\r');
    expect(await s.waitForExit()).toBe(0);
    expect(passwordMatches(dir, 'alice', 'abcd')).toBe(true);
  });
});

describe('passwords without a terminal', () => {
  it('a script piped to the prompt is refused without --password-stdin, and its password line never runs', async () => {
    const dir = copyDemoConfig();
    const history = historyFile();
    const run = await runHa(['--config', dir], { input: 'auth reset --username alice\nS3cret-line\nauth list\n', env: { HA_CONSOLE_HISTORY: history } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error: No terminal to type the password on.*\nHint: .*--password-stdin/);
    expect(`${run.stdout}${run.stderr}`).not.toContain('S3cret');
    expect(run.stdout).not.toContain('USERNAME');
    expect(historyText(history)).not.toContain('S3cret');
    expect(passwordMatches(dir, 'alice', 'S3cret-line')).toBe(false);
  });

  it('a script reads the next line as the password with --password-stdin, then goes on', async () => {
    const dir = copyDemoConfig();
    const history = historyFile();
    const run = await runHa(['--config', dir], { input: 'auth reset --username alice --password-stdin\nscript & "pw"\nauth list\n', env: { HA_CONSOLE_HISTORY: history } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Password for 'alice' changed");
    expect(run.stdout).toMatch(/USERNAME\s+NAME/);
    expect(passwordMatches(dir, 'alice', 'script & "pw"')).toBe(true);
    expect(historyText(history)).not.toContain('pw"');
  });

  it('a one-shot command reads its password from stdin (with or without --password-stdin)', async () => {
    const dir = copyDemoConfig();
    expect((await runHa(['--config', dir, 'auth', 'reset', '--username', 'alice'], { input: 'one-shot-pw\n' })).code).toBe(0);
    expect(passwordMatches(dir, 'alice', 'one-shot-pw')).toBe(true);
    expect((await runHa(['--config', dir, 'auth', 'reset', '--username', 'bob', '--password-stdin'], { input: 'Grüße €\n' })).code).toBe(0);
    expect(passwordMatches(dir, 'bob', 'Grüße €')).toBe(true);
  });

  it('refuses a password that is not valid UTF-8 and changes nothing', async () => {
    const dir = copyDemoConfig();
    const run = await runHa(['--config', dir, 'auth', 'reset', '--username', 'alice', '--password-stdin'], { input: Buffer.from([0x70, 0x77, 0xe9, 0x21, 0x0a]) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: The password read from standard input is not valid UTF-8; nothing was changed\./);
    expect(passwordMatches(dir, 'alice', 'pw\ufffd!')).toBe(false);
    expect(passwordMatches(dir, 'alice', 'pwé!')).toBe(false);
  });
});
