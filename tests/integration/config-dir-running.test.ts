import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { findRunningHass } from '../../src/targets/config-dir/find-running-hass';
import { parseHassCmdline } from '../../src/targets/config-dir/hass-cmdline';
import { openConfigDirTarget } from '../../src/targets/config-dir/open';

const DEMO = join(__dirname, '../../assets/demo-config');
const PYTHON = spawnSync('/usr/bin/python3', ['-c', '0']).status === 0 ? '/usr/bin/python3' : 'python3';
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// A real process that looks like Core: python running a script named `hass`, or `-m homeassistant`.
function fakeHass(args: string[], cwd: string): ChildProcess {
  const child = spawn(PYTHON, args, { cwd, stdio: 'ignore' });
  cleanups.push(() => child.kill('SIGKILL'));
  return child;
}

async function waitForDetection(dir: string): Promise<string | undefined> {
  for (let i = 0; i < 100; i++) {
    const reason = await findRunningHass(dir);
    if (reason !== undefined) return reason;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

describe('hass command lines', () => {
  it.each([
    [['hass', '-c', '/config'], '/config'],
    [['/srv/venv/bin/hass', '--config=/home/ha/.homeassistant'], '/home/ha/.homeassistant'],
    [['python3', '-m', 'homeassistant', '--config', '/config'], '/config'],
    [['/usr/local/bin/python3.13', '/usr/local/bin/hass', '-c/data'], '/data'],
    [['hass'], undefined],
  ])('%j → %s', (argv, config) => {
    expect(parseHassCmdline(argv)).toEqual({ configArg: config });
  });

  it.each([[['hass', '--script', 'auth', '-c', '/config', 'list']], [['python3', 'server.py', '-c', '/config']], [['bash', 'hass']], [[]]])(
    '%j is not a running Core',
    (argv) => {
      expect(parseHassCmdline(argv)).toBeUndefined();
    },
  );
});

describe.runIf(process.platform === 'linux')('running Home Assistant detection', () => {
  it('finds a real `hass -c DIR` process, refuses to write, and --force overrides', async () => {
    const bin = tempDir('ha-bin-');
    const dir = tempDir('ha-config-');
    cpSync(DEMO, dir, { recursive: true });
    writeFileSync(join(bin, 'hass'), 'import time\ntime.sleep(120)\n');
    fakeHass([join(bin, 'hass'), '-c', dir], bin);
    const reason = await waitForDetection(dir);
    expect(reason).toMatch(/^process \d+: .*hass -c /);

    const before = readFileSync(join(dir, '.storage/auth_provider.homeassistant'));
    const error = await openConfigDirTarget(dir)((t) => t.resetPassword('bob', 'pw-run', { force: false })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaError);
    expect((error as HaError).message).toMatch(/Home Assistant appears to be running on this config .*nothing was changed/);
    expect((error as HaError).hint).toMatch(/--force/);
    expect(readFileSync(join(dir, '.storage/auth_provider.homeassistant')).equals(before)).toBe(true);

    const outcome = await openConfigDirTarget(dir)((t) => t.resetPassword('bob', 'pw-run', { force: true }));
    expect(outcome.updated).toEqual(['bob']);
  });

  it('resolves a relative --config against the process cwd (python3 -m homeassistant)', async () => {
    const base = tempDir('ha-mod-');
    mkdirSync(join(base, 'homeassistant'));
    writeFileSync(join(base, 'homeassistant', '__main__.py'), 'import time\ntime.sleep(120)\n');
    mkdirSync(join(base, 'cfg', '.storage'), { recursive: true });
    const other = tempDir('ha-other-');
    fakeHass(['-m', 'homeassistant', '--config', 'cfg'], base);
    expect(await waitForDetection(join(base, 'cfg'))).toMatch(/-m homeassistant --config cfg$/);
    expect(await findRunningHass(other)).toBeUndefined();
  });

  it('is a no-op off Linux', async () => {
    expect(await findRunningHass(tmpdir(), { platform: 'darwin' })).toBeUndefined();
  });
});
