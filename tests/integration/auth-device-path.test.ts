import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/emulator';
import { openConfigDirTarget } from '../../src/targets/config-dir/open';
import { makeAccountsConfig, removeAccountsConfigs, parseStore, userIdOf } from '../helpers/accounts-fixture';
import { runHa } from '../helpers/run-ha';
import { KEYS, TerminalSession } from '../helpers/terminal-session';

// Issue 15 on a device: the Supervisor has no API for MFA, activation or new logins, so the console stops Core
// through the (emulated) Supervisor, changes the host's config folder and starts Core again, also when the change fails.

let emulator: Emulator;
let hostDir: string;
const env = (): Record<string, string> => ({ SUPERVISOR_ENDPOINT: emulator.url, SUPERVISOR_TOKEN: emulator.token, HA_CONSOLE_HOST_CONFIG_DIR: hostDir });
const totpUsers = (): string[] => Object.keys(parseStore(readFileSync(join(hostDir, '.storage', 'auth_module.totp'))).data['users'] as object);

beforeAll(async () => {
  emulator = await createEmulator({ auth: openConfigDirTarget(makeAccountsConfig(), { isRunning: async () => undefined }) });
});
afterAll(async () => {
  await emulator.close();
  removeAccountsConfigs();
});
beforeEach(() => {
  hostDir = makeAccountsConfig();
  emulator.state.coreRunning = true;
});

describe('account changes on a device (no --config/--image)', () => {
  it('with --yes: stops Core, removes the enrolment in the host folder, starts Core, and reports each step', async () => {
    const bob = userIdOf(parseStore(readFileSync(join(hostDir, '.storage', 'auth'))), 'bob');
    const run = await runHa(['auth', 'mfa', 'reset', '--username', 'bob', '--yes'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`Stopped Home Assistant Core.\nChanged the files in ${hostDir}.\nStarted Home Assistant Core.\n`);
    expect(run.stdout).toMatch(/^Removed the authenticator app \(totp\) and notify code \(notify\) enrolment of 'bob' in config folder /);
    expect(totpUsers()).not.toContain(bob);
    expect(emulator.state.coreRunning).toBe(true);
  });

  it('at a terminal: asks first, and a "n" changes nothing and leaves Core running; "y" goes ahead', async () => {
    const before = readFileSync(join(hostDir, '.storage', 'auth'));
    const no = new TerminalSession({ args: ['auth', 'activate', '--username', 'carol'], env: env() });
    try {
      // The question wraps at 80 columns: match its start, then the whole of it with the line break taken out.
      await no.waitFor(/N\] $/);
      expect(no.screen().replace(/\n/g, '')).toContain(`Stop Home Assistant Core, make 'carol' active in ${hostDir}, then start Core again? [y/N] `);
      no.type(`n${KEYS.enter}`);
      expect(await no.waitForExit()).toBe(1);
    } finally {
      no.close();
    }
    expect(readFileSync(join(hostDir, '.storage', 'auth'))).toEqual(before);
    expect(emulator.state.coreRunning).toBe(true);
    const yes = new TerminalSession({ args: ['auth', 'activate', '--username', 'carol'], env: env() });
    try {
      await yes.waitFor(/N\] $/);
      yes.type(`y${KEYS.enter}`);
      await yes.waitFor(/'carol' is now active/);
      expect(await yes.waitForExit()).toBe(0);
    } finally {
      yes.close();
    }
    expect(emulator.state.coreRunning).toBe(true);
  });

  it('without a terminal and without --yes: asks nothing, stops nothing, changes nothing', async () => {
    const before = readFileSync(join(hostDir, '.storage', 'auth'));
    const run = await runHa(['auth', 'activate', '--username', 'carol'], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: The Supervisor has no API for this.*with Core stopped; nothing was changed\nHint: Add --yes/);
    expect(readFileSync(join(hostDir, '.storage', 'auth'))).toEqual(before);
    expect(emulator.state.coreRunning).toBe(true);
  });

  it('starts Core again when the change fails', async () => {
    const run = await runHa(['auth', 'activate', '--username', 'mallory', '--yes'], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Stopped Home Assistant Core\.\nStarted Home Assistant Core\.\nError: No user with login name "mallory"/);
    expect(emulator.state.coreRunning).toBe(true);
  });

  it('leaves a Core that was already stopped stopped', async () => {
    emulator.state.coreRunning = false;
    const run = await runHa(['auth', 'local-only', '--username', 'dave', 'off', '--yes'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`Changed the files in ${hostDir}.\n`);
    expect(run.stdout).toMatch(/^'dave' is now allowed to log in from anywhere/);
    expect(emulator.state.coreRunning).toBe(false);
  });

  it('auth list from the Supervisor gets its MFA column from the host folder, and the fixing commands', async () => {
    const run = await runHa(['auth', 'list'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^USERNAME\s+NAME\s+OWNER\s+ACTIVE\s+ADMIN\s+MFA\nalice\s+Alice\s+yes\s+yes\s+yes\s+totp\nbob\s+Bob\s+no\s+yes\s+no\s+totp, notify\n/);
    expect(run.stdout).toContain('to let it in again: auth activate --username carol\n');
  });

  it('lists two-factor enrolments from the host folder while Core runs', async () => {
    const run = await runHa(['auth', 'mfa', 'list'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nbob\s+Bob\s+totp, notify\n/);
    expect(emulator.state.coreRunning).toBe(true);
  });
});
