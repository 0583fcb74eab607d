import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runHa } from '../helpers/run-ha';

let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keymap-'));
  const maps = join(dir, 'keymaps', 'i386');
  for (const [sub, file] of [['qwerty', 'us.map.gz'], ['qwertz', 'de-latin1.map.gz'], ['azerty', 'fr.map.gz']] as const) {
    mkdirSync(join(maps, sub), { recursive: true });
    writeFileSync(join(maps, sub, file), '');
  }
  // A stand-in loadkeys that records what it was asked (the real one needs a virtual console).
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'loadkeys'), `#!/bin/sh\necho "$@" >> '${join(dir, 'loadkeys.log')}'\n`);
  chmodSync(join(bin, 'loadkeys'), 0o755);
  env = {
    PATH: `${bin}:/usr/bin:/bin`,
    HA_CONSOLE_KEYMAP_DIRS: join(dir, 'keymaps'),
    HA_CONSOLE_VCONSOLE_CONF: join(dir, 'vconsole.conf'),
  };
  writeFileSync(env['HA_CONSOLE_VCONSOLE_CONF'] as string, 'FONT=lat9w-16\n');
});

describe('host keymap', () => {
  it('lists the installed layouts and the current one', async () => {
    const run = await runHa(['host', 'keymap'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Current layout: us (default)');
    expect(run.stdout).toContain('Available (3): de-latin1 fr us');
  });

  it('sets a layout now and keeps it for the next boot', async () => {
    const run = await runHa(['host', 'keymap', 'de-latin1'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/applied now with loadkeys, and saved in .*vconsole\.conf/);
    expect(readFileSync(join(dir, 'loadkeys.log'), 'utf8')).toBe('de-latin1\n');
    expect(readFileSync(env['HA_CONSOLE_VCONSOLE_CONF'] as string, 'utf8')).toBe('FONT=lat9w-16\nKEYMAP=de-latin1\n');
    expect(statSync(env['HA_CONSOLE_VCONSOLE_CONF'] as string).mode & 0o777).toBe(0o644);
    expect((await runHa(['host', 'keymap'], { env })).stdout).toContain('Current layout: de-latin1');
  });

  it('refuses an unknown layout and changes nothing', async () => {
    const run = await runHa(['host', 'keymap', 'dvorak-xx'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error: Unknown keyboard layout 'dvorak-xx'\.\nHint: /);
    expect(existsSync(join(dir, 'loadkeys.log'))).toBe(false);
    expect(readFileSync(env['HA_CONSOLE_VCONSOLE_CONF'] as string, 'utf8')).toBe('FONT=lat9w-16\n');
  });
});
