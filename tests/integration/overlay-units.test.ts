import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/terminal-session';

// The rootfs overlay checked the way an image build would use it: systemd-analyze verify in a temp
// appliance root, the serial-console generator against sample kernel command lines, the scripts.

const OVERLAY = join(REPO_ROOT, 'rootfs-overlay');
const LIBEXEC = join(OVERLAY, 'usr', 'libexec', 'ha-console');
const GENERATOR = join(OVERLAY, 'usr', 'lib', 'systemd', 'system-generators', 'ha-console-serial-generator');
const HOST_UNITS = '/usr/lib/systemd/system';
const has = (tool: string, arg = '--version'): boolean => spawnSync(tool, [arg], { stdio: 'ignore' }).status === 0;
const HAVE_ANALYZE = has('systemd-analyze') && existsSync(join(HOST_UNITS, 'sysinit.target'));

const work = mkdtempSync(join(tmpdir(), 'ha-console-overlay-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function stub(path: string, body = 'exit 0'): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/** Every shell script of the overlay (files starting with #!/bin/sh). */
function shellScripts(dir = OVERLAY): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...shellScripts(path));
    else if (entry.isFile() && readFileSync(path, 'utf8').startsWith('#!/bin/sh')) out.push(path);
  }
  return out;
}

/** A temp appliance root: the host's systemd units (Debian's systemd), then the overlay over them. */
function applianceRoot(name: string, withHa: boolean): string {
  const root = join(work, name);
  mkdirSync(join(root, 'usr', 'lib', 'systemd'), { recursive: true });
  cpSync(HOST_UNITS, join(root, 'usr', 'lib', 'systemd', 'system'), { recursive: true, verbatimSymlinks: true });
  cpSync(OVERLAY, root, { recursive: true, verbatimSymlinks: true });
  stub(join(root, 'usr', 'sbin', 'sshd'));
  if (withHa) stub(join(root, 'usr', 'bin', 'ha'));
  return root;
}

function verify(root: string, units: string[]): { status: number | null; output: string } {
  const run = spawnSync('systemd-analyze', ['verify', '--man=no', `--root=${root}`, ...units], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe.skipIf(!HAVE_ANALYZE)('systemd-analyze verify in a temp appliance root', () => {
  const units = ['ha-console@tty1.service', 'ha-console-serial@ttyS0.service', 'ha-console-serial@ttyAMA0.service'];
  if (existsSync(join(HOST_UNITS, 'ssh.service'))) units.push('ssh.service');

  it('passes with /usr/bin/ha present', () => {
    const result = verify(applianceRoot('good', true), units);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails when /usr/bin/ha is missing (the check looks inside the root)', () => {
    const result = verify(applianceRoot('no-ha', false), ['ha-console@tty1.service']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('/usr/bin/ha');
  });
});

describe('tty1 and serial units', () => {
  const unit = (name: string): string => readFileSync(join(OVERLAY, 'usr', 'lib', 'systemd', 'system', name), 'utf8');

  it('run the console with no getty and no login, restart forever, own the tty', () => {
    for (const name of ['ha-console@.service', 'ha-console-serial@.service']) {
      const text = unit(name);
      for (const line of ['Restart=always', 'StartLimitIntervalSec=0', 'TTYPath=/dev/%I', 'StandardInput=tty', 'TTYReset=yes', 'TTYVHangup=yes']) expect(text, name).toContain(line);
      expect(/^ExecStart=(.*)$/m.exec(text)?.[1], name).not.toMatch(/getty|login/);
      expect(Number(/RestartSec=(\d+)ms/.exec(text)?.[1]), name).toBeLessThanOrEqual(500);
    }
    expect(unit('ha-console@.service')).toContain('ExecStart=/usr/bin/ha console');
  });

  it('export nothing for the Supervisor: ha finds it itself on the host', () => {
    const scripts = ['ha-shell', 'serial-console'].map((name) => readFileSync(join(OVERLAY, 'usr', 'libexec', 'ha-console', name), 'utf8'));
    for (const text of [unit('ha-console@.service'), unit('ha-console-serial@.service'), readFileSync(join(OVERLAY, 'etc', 'inittab'), 'utf8'), ...scripts]) {
      expect(text).not.toMatch(/^[^#\n]*(SUPERVISOR_|HASSIO_TOKEN|--api-token|--endpoint)/m);
    }
  });

  it('tty1 is enabled and its getty masked', () => {
    const system = join(OVERLAY, 'etc', 'systemd', 'system');
    expect(readlinkSync(join(system, 'getty.target.wants', 'ha-console@tty1.service'))).toBe('/usr/lib/systemd/system/ha-console@.service');
    expect(readlinkSync(join(system, 'getty@tty1.service'))).toBe('/dev/null');
    expect(readlinkSync(join(OVERLAY, 'etc', 'systemd', 'system-generators', 'systemd-getty-generator'))).toBe('/dev/null');
  });
});

describe('shell scripts', () => {
  const scripts = shellScripts();

  it('are all executable and parse with sh -n', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(7);
    for (const script of scripts) {
      expect(statSync(script).mode & 0o111, script).not.toBe(0);
      const run = spawnSync('sh', ['-n', script], { encoding: 'utf8' });
      expect(run.stderr, script).toBe('');
      expect(run.status, script).toBe(0);
    }
  });

  it.skipIf(!has('shellcheck'))('pass shellcheck', () => {
    const run = spawnSync('shellcheck', ['-s', 'sh', ...scripts], { encoding: 'utf8' });
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
  });

  it('inittab names only scripts the overlay ships (or /usr/bin/ha)', () => {
    const inittab = readFileSync(join(OVERLAY, 'etc', 'inittab'), 'utf8');
    expect(inittab).toMatch(/^tty1::respawn:.*\/usr\/bin\/ha console$/m);
    expect(inittab).toMatch(/^ha-serial0::respawn:\/usr\/libexec\/ha-console\/serial-console$/m);
    for (const match of inittab.matchAll(/(\/usr\/libexec\/ha-console\/[\w-]+|\/etc\/init\.d\/\w+)/g)) {
      expect(existsSync(join(OVERLAY, match[1] ?? '')), match[1]).toBe(true);
    }
  });
});

/** Runs the generator for a kernel command line (and /proc/consoles); returns the units it enabled. */
function generate(cmdline: string, consoles = ''): string[] {
  const dir = mkdtempSync(join(work, 'gen-'));
  writeFileSync(join(dir, 'cmdline'), `${cmdline}\n`);
  writeFileSync(join(dir, 'consoles'), consoles);
  const out = join(dir, 'normal');
  mkdirSync(out);
  const run = spawnSync(GENERATOR, [out, join(dir, 'early'), join(dir, 'late')], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HA_CONSOLE_SERIAL_CONSOLES: join(LIBEXEC, 'serial-consoles'), HA_CONSOLE_PROC_CMDLINE: join(dir, 'cmdline'), HA_CONSOLE_PROC_CONSOLES: join(dir, 'consoles') },
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const wants = join(out, 'getty.target.wants');
  if (!existsSync(wants)) return [];
  return readdirSync(wants).map((name) => {
    expect(readlinkSync(join(wants, name))).toBe('/usr/lib/systemd/system/ha-console-serial@.service');
    return name;
  });
}

describe('serial console generator', () => {
  it('enables the console on each serial console= of the command line, never on a VT', () => {
    expect(generate('coherent_pool=1M 8250.nr_uarts=1 console=ttyAMA0,115200 console=tty1 root=PARTUUID=x rootwait')).toEqual(['ha-console-serial@ttyAMA0.service']);
    expect(generate('console=tty0 console=ttyS0,115200n8 console=ttyS1').sort()).toEqual(['ha-console-serial@ttyS0.service', 'ha-console-serial@ttyS1.service']);
    expect(generate('console=/dev/ttyUSB0,9600')).toEqual(['ha-console-serial@ttyUSB0.service']);
    expect(generate('console=ttyS0 console=ttyS0,115200')).toEqual(['ha-console-serial@ttyS0.service']);
  });

  it('falls back to /proc/consoles when the command line names none', () => {
    const consoles = 'ttyS1                -W- (EC p a)    4:65\ntty0                 -WU (E  p  )    4:1\n';
    expect(generate('root=/dev/mmcblk0p2 quiet', consoles)).toEqual(['ha-console-serial@ttyS1.service']);
    expect(generate('console=tty1', consoles)).toEqual(['ha-console-serial@ttyS1.service']);
  });

  it('enables nothing for a VT-only machine and ignores unsafe names', () => {
    expect(generate('console=tty1', 'tty1 -WU (EC p  ) 4:1\n')).toEqual([]);
    expect(generate('console=../../etc/x console=null console=tty*')).toEqual([]);
  });
});

describe('root shell and ssh session script', () => {
  it('set-root-shell sets root shell and /etc/shells atomically, leaving other users alone, idempotent', () => {
    const root = join(work, 'passwd-root');
    mkdirSync(join(root, 'etc'), { recursive: true });
    cpSync(LIBEXEC, join(root, 'usr', 'libexec', 'ha-console'), { recursive: true });
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n');
    writeFileSync(join(root, 'etc', 'shells'), '/bin/sh\n');
    for (let i = 0; i < 2; i++) {
      const run = spawnSync(join(LIBEXEC, 'set-root-shell'), [root], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
    expect(readFileSync(join(root, 'etc', 'passwd'), 'utf8')).toBe('root:x:0:0:root:/root:/usr/libexec/ha-console/ha-shell\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n');
    expect(readFileSync(join(root, 'etc', 'shells'), 'utf8')).toBe('/bin/sh\n/usr/libexec/ha-console/ha-shell\n');
    expect(readdirSync(join(root, 'etc')).sort()).toEqual(['passwd', 'shells']);
  });

  it('ha-shell: no command gives the REPL, a command runs through ha -c, ForceCommand is recognised', () => {
    const fake = join(work, 'fake-ha');
    stub(fake, 'for a in "$@"; do printf "[%s]" "$a"; done; echo');
    const shell = (args: string[], env: Record<string, string> = {}): string =>
      spawnSync(join(LIBEXEC, 'ha-shell'), args, { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HA_CONSOLE_BIN: fake, ...env } }).stdout.trim();
    expect(shell([])).toBe('');
    expect(shell(['-c', 'ha core logs -n 5'])).toBe('[-c][ha core logs -n 5]');
    expect(shell(['-c', '/usr/libexec/ha-console/ha-shell'])).toBe('');
    expect(shell(['-c', '/usr/libexec/ha-console/ha-shell'], { SSH_ORIGINAL_COMMAND: `auth reset --password 'a b&c'` })).toBe(`[-c][auth reset --password 'a b&c']`);
    expect(shell([], { SSH_ORIGINAL_COMMAND: 'core info' })).toBe('[-c][core info]');
  });
});
