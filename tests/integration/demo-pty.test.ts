import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEYS, TerminalSession } from '../helpers/terminal-session';

const sessions: TerminalSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

describe('npm start (ha demo)', () => {
  it('runs the whole console against the built-in emulator, and cleans up after itself', async () => {
    const s = new TerminalSession({
      args: ['demo'],
      // An unreadable kernel log device makes the demo fall back to its bundled sample, as for a non-root user.
      env: { HA_CONSOLE_KMSG: '/nonexistent/kmsg', HA_CONSOLE_HISTORY: join(mkdtempSync(join(tmpdir(), 'demo-hist-')), 'h') },
    });
    sessions.push(s);
    const before = await s.waitFor('Press Enter');
    expect(before).toMatch(/Demo: a Supervisor emulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(before).toMatch(/a sample kernel log is shown/);
    await s.waitFor(/\[\s+\d+\.\d{6}\] /);
    s.type(KEYS.enter);
    await s.waitFor(/ha > $/m);
    s.type(`auth list${KEYS.enter}`);
    await s.waitFor(/alice\s+Alice\s+yes/);
    s.type(`core logs -n 2${KEYS.enter}`);
    await s.waitFor(/\(END\)|END/);
    s.type('q');
    await s.waitFor(/ha > $/m);
    s.type(`exit${KEYS.enter}`);
    expect(await s.waitForExit()).toBe(0);
    const configDir = /throw-away Home Assistant config in (\S+?)\.\r?\n/.exec(s.raw)?.[1];
    expect(configDir).toMatch(/ha-console-demo-/);
    expect(existsSync(configDir as string)).toBe(false);
  });
});
