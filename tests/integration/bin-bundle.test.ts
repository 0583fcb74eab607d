import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// bin/ha.js runs dist/ha-bundle.js (the program in one file, with V8's code cache) when it is at least as new as
// dist/, else the compiled tree under dist/. Which one ran is seen through Node's own module log
// (NODE_DEBUG=module): the tree loads dist/bin/main.js, the bundle loads no file of dist/ as a module.

const ROOT = join(__dirname, '..', '..');
let pkg: string;

beforeAll(() => {
  // A copy of the package, so that file times can be changed without touching the dist/ other tests run.
  pkg = mkdtempSync(join(tmpdir(), 'ha-bin-bundle-'));
  cpSync(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true, preserveTimestamps: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
});
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

/** Runs the copy's bin/ha.js; `tree` tells whether it loaded dist/bin/main.js as a module. */
function ha(args: string[]): { status: number | null; stdout: string; tree: boolean } {
  const run = spawnSync(process.execPath, [join(pkg, 'bin', 'ha.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_DEBUG: 'module', NO_COLOR: '1', HA_CONSOLE_KMSG: join(ROOT, 'assets', 'sample.kmsg') },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, tree: /load "?[^\n]*dist\/bin\/main\.js/.test(run.stderr) };
}

describe('bin/ha.js', () => {
  it('runs the bundle when it is current, with a code cache V8 accepts', () => {
    const bundle = join(ROOT, 'dist', 'ha-bundle.js');
    const script = new Script(readFileSync(bundle, 'utf8'), { filename: bundle, cachedData: readFileSync(join(ROOT, 'dist', 'ha-bundle.cache')) });
    expect(script.cachedDataRejected).toBe(false);
    const run = ha(['dmesg', '--no-pager']);
    expect(run.status).toBe(0);
    expect(run.tree).toBe(false);
    expect(run.stdout).toMatch(/^\[ {4}0\.000000\] Booting Linux/);
  });

  it('runs the compiled tree when the bundle is older than dist/ (tsc after the last build), with the same output', () => {
    const bundled = ha(['dmesg', '--no-pager']);
    const past = new Date(statSync(join(pkg, 'dist', 'bin', 'main.js')).mtimeMs - 60_000);
    utimesSync(join(pkg, 'dist', 'ha-bundle.js'), past, past);
    const run = ha(['dmesg', '--no-pager']);
    expect(run.tree).toBe(true);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(bundled.stdout);
  });

  it('runs the bundle without its cache, and the tree without the bundle', () => {
    const now = new Date();
    utimesSync(join(pkg, 'dist', 'ha-bundle.js'), now, now);
    rmSync(join(pkg, 'dist', 'ha-bundle.cache'));
    const uncached = ha(['--help']);
    expect(uncached).toMatchObject({ status: 0, tree: false });
    expect(uncached.stdout).toContain('core logs');
    rmSync(join(pkg, 'dist', 'ha-bundle.js'));
    expect(ha(['--help'])).toMatchObject({ status: 0, tree: true, stdout: uncached.stdout });
  });
});
