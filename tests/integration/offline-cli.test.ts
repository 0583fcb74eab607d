import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyDemoConfig, passwordMatches } from '../helpers/demo-target';
import { runHa } from '../helpers/run-ha';
import { KEYS, TerminalSession } from '../helpers/terminal-session';
import { ALICE_PASSWORD, TABLES, copyImage, fsck, makeImage, makeTempDir, partitionOffset } from './image-fixture';

// What a locked-out person types on another computer: the real CLI on a config folder and on an image.

const sessions: TerminalSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

describe('ha --config DIR (a Home Assistant config folder)', () => {
  it('lists users with their login names, owner, active and admin flags and two-factor modules', async () => {
    const dir = copyDemoConfig();
    const run = await runHa(['--config', dir, 'auth', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^USERNAME\s+NAME\s+OWNER\s+ACTIVE\s+ADMIN\s+MFA\nalice\s+Alice\s+yes\s+yes\s+yes\s+none\nbob\s+Bob\s+no\s+yes\s+no\s+none\n\nbob may log in only from the local network; to allow it from anywhere: auth local-only --username bob off\n$/);
  });

  it('resets a password typed twice without echo, matching the login name as Home Assistant does', async () => {
    const dir = copyDemoConfig();
    const s = new TerminalSession({ args: ['--config', dir, 'auth', 'reset', '--username', ' ALICE '] });
    sessions.push(s);
    await s.waitFor('New password: ');
    s.type(`n3w & "secret"${KEYS.enter}`);
    await s.waitFor('New password (again): ');
    s.type(`n3w & "secret"${KEYS.enter}`);
    const screen = await s.waitFor(/Password for 'alice' changed in config folder/);
    expect(screen).not.toContain('n3w');
    expect(await s.waitForExit()).toBe(0);
    expect(passwordMatches(dir, 'alice', 'n3w & "secret"')).toBe(true);
  });

  it('says clearly that a user does not exist, lists who does, and writes nothing', async () => {
    const dir = copyDemoConfig();
    const before = readFileSync(join(dir, '.storage', 'auth_provider.homeassistant'));
    const run = await runHa(['--config', dir, 'auth', 'reset', '--username', 'carol', '--password', 'x']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: .*carol.*\nHint: .*alice.*bob/s);
    expect(readFileSync(join(dir, '.storage', 'auth_provider.homeassistant'))).toEqual(before);
  });

  it('refuses a corrupt store with one line and leaves it byte for byte', async () => {
    const dir = copyDemoConfig();
    const file = join(dir, '.storage', 'auth_provider.homeassistant');
    writeFileSync(file, '{"version": 1, "data": {"users": [');
    const run = await runHa(['--config', dir, 'auth', 'reset', '--username', 'alice', '--password', 'x']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: .*not valid JSON.*\nHint: .+\n$/);
    expect(readFileSync(file, 'utf8')).toBe('{"version": 1, "data": {"users": [');
  });

  it('explains a folder that is not a config folder', async () => {
    const run = await runHa(['--config', '/nonexistent/config', 'auth', 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: .*\/nonexistent\/config.*\nHint: .*\.storage/);
  });

  it('onboarding reset asks first, then moves the auth files to a backup folder it names', async () => {
    const dir = copyDemoConfig();
    const refused = await runHa(['--config', dir, 'onboarding', 'reset']);
    expect(refused.code).toBe(2);
    expect(existsSync(join(dir, '.storage', 'auth'))).toBe(true);
    const run = await runHa(['--config', dir, 'onboarding', 'reset', '--yes']);
    expect(run.code).toBe(0);
    const backup = /to (\S+)\n/.exec(run.stdout)?.[1] as string;
    expect(existsSync(join(dir, '.storage', 'auth'))).toBe(false);
    expect(readdirSync(backup).sort()).toEqual(expect.arrayContaining(['auth', 'auth_provider.homeassistant', 'onboarding']));
  });
});

describe.each(TABLES)('ha --image PATH (an SD card image, %s)', (table) => {
  let fixture: string;
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    temp = makeTempDir();
    fixture = makeImage(join(temp.dir, 'fixture.img'), ['--table', table]);
  });
  afterAll(() => temp.cleanup());

  it('shows what the image holds, resets a password, and leaves a filesystem e2fsck calls clean', async () => {
    const image = copyImage(fixture, temp.dir, 'reset.img');
    const info = await runHa(['--image', image, 'info']);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/hassos-data/);
    expect(info.stdout).toMatch(new RegExp(`table\\W+${table}`));
    const list = await runHa(['--image', image, 'auth', 'list']);
    expect(list.stdout).toMatch(/^alice\s/m);
    const reset = await runHa(['--image', image, 'auth', 'reset', '--username', 'alice'], { input: 'from-the-sd-card\n' });
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/Password for 'alice' changed in .*reset\.img/);
    const check = fsck(image, partitionOffset(image));
    expect(check.status, check.output).toBe(0);
    expect(ALICE_PASSWORD).not.toBe('from-the-sd-card');
    const relisted = await runHa(['--image', image, 'auth', 'list']);
    expect(relisted.stdout).toMatch(/^alice\s/m);
    const onboarding = await runHa(['--image', image, 'onboarding', 'reset', '--yes']);
    expect(onboarding.code, onboarding.stderr).toBe(0);
    const after = fsck(image, partitionOffset(image));
    expect(after.status, after.output).toBe(0);
    const empty = await runHa(['--image', image, 'auth', 'list']);
    expect(empty.stdout).not.toMatch(/^alice\s/m);
  });
});
