import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY } from '../../src/commands/registry';
import { supportsTarget } from '../../src/commands/target-support';
import type { RecoveryTargetKind } from '../../src/commands/types';
import { runHa } from '../helpers/run-ha';
import { KEYS, REPO_ROOT, TerminalSession } from '../helpers/terminal-session';

// Every command of the registry, given a recovery target it does not act on, through the real CLI:
// exit 2, no request reaches the Supervisor, nothing in the config folder or image changes, and nothing
// about this machine is printed. Cases come from REGISTRY, so a new command is covered by itself.

const KMSG_MARKER = 'local-kernel-line-marker-7f3a';
const KEYMAP_MARKER = 'local-keymap-marker-7f3a';

let work: string;
let configDir: string;
let hostConfigDir: string;
let image: string;
let server: Server;
let endpoint: string;
const requests: string[] = [];
let env: Record<string, string>;

/** Path → content hash, size and mtime of every file and folder under `root` (or of one file). */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string): void => {
    const stat = statSync(path);
    const key = relative(root, path) || '.';
    if (stat.isDirectory()) {
      out[key] = `dir ${readdirSync(path).sort().join(',')} ${stat.mtimeMs}`;
      for (const name of readdirSync(path)) walk(join(path, name));
    } else {
      out[key] = `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${stat.size} ${stat.mtimeMs}`;
    }
  };
  walk(root);
  return out;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ha-refusals-'));
  configDir = join(work, 'config');
  hostConfigDir = join(work, 'host-config');
  cpSync(join(REPO_ROOT, 'assets', 'demo-config'), configDir, { recursive: true });
  cpSync(join(REPO_ROOT, 'assets', 'demo-config'), hostConfigDir, { recursive: true });
  // A card image: nothing may open it, so a GPT-signed file of random bytes is enough to watch.
  const bytes = createHash('sha512');
  const content = Buffer.concat(Array.from({ length: 16384 }, (_, i) => bytes.copy().update(String(i)).digest()));
  content.writeUInt16BE(0x55aa, 510);
  content.write('EFI PART', 512, 'latin1');
  image = join(work, 'card.img');
  writeFileSync(image, content);
  writeFileSync(join(work, 'kmsg'), `6,1,1000,-;${KMSG_MARKER}\n`);
  mkdirSync(join(work, 'keymaps', 'i386', 'qwerty'), { recursive: true });
  writeFileSync(join(work, 'keymaps', 'i386', 'qwerty', `${KEYMAP_MARKER}.map.gz`), '');
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"result":"ok","data":{}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env = {
    SUPERVISOR_TOKEN: 'refusal-test-token',
    HA_CONSOLE_HOST_SUPERVISOR: endpoint,
    HA_CONSOLE_HOST_CONFIG_DIR: hostConfigDir,
    HA_CONSOLE_KMSG: join(work, 'kmsg'),
    HA_CONSOLE_HISTORY: join(work, 'history'),
    HA_CONSOLE_PRINTK: join(work, 'printk'),
    HA_CONSOLE_VCONSOLE_CONF: join(work, 'vconsole.conf'),
    HA_CONSOLE_KEYMAP_DIRS: join(work, 'keymaps'),
    HA_CONSOLE_CLI_TOKEN_FILE: join(work, 'cli.json'),
    HA_CONSOLE_SUPERVISOR_DATA: join(work, 'supervisor-data'),
    HA_CONSOLE_DOCKER_SOCKET: join(work, 'docker.sock'),
  };
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

/** Words naming things of this machine that must never appear in a refusal. */
function localMarkers(): string[] {
  const model = cpus()[0]?.model.trim();
  return [KMSG_MARKER, KEYMAP_MARKER, ...(hostname().length >= 4 ? [hostname()] : []), ...(model !== undefined && model.length >= 4 ? [model] : [])];
}

const FLAG: Record<RecoveryTargetKind, string> = { config: '--config', image: '--image' };

/** Every (command line, target) where the command does not act on the target, from the registry. */
const CASES: [string, RecoveryTargetKind][] = REGISTRY.flatMap((entry) =>
  ('group' in entry ? entry.group.commands.map((c) => [`${entry.group.name} ${c.name}`, c] as const) : [[entry.command.name, entry.command] as const]).flatMap(([path, command]) =>
    (['config', 'image'] as const)
      .filter((target) => !supportsTarget(command, target))
      // With a positional where the command takes one (`host keymap LAYOUT`, `network info IFACE`).
      .flatMap((target): [string, RecoveryTargetKind][] => [[path, target], ...((command.maxPositionals ?? 0) > 0 ? [[`${path} x1`, target] as [string, RecoveryTargetKind]] : [])]),
  ),
);

describe('a command given a recovery target it does not act on', () => {
  let before: { config: Record<string, string>; host: Record<string, string>; image: Record<string, string> };
  beforeAll(() => {
    before = { config: snapshot(configDir), host: snapshot(hostConfigDir), image: snapshot(image) };
  });
  afterEach(() => {
    requests.length = 0;
  });

  it('covers the power, state and log commands', () => {
    const lines = CASES.map(([line, target]) => `${target} ${line}`);
    for (const line of ['host reboot', 'host shutdown', 'core start', 'core stop', 'core restart', 'host keymap x1', 'dmesg']) {
      expect(lines).toContain(`image ${line}`);
      expect(lines).toContain(`config ${line}`);
    }
    // The logs Core writes itself are in a config folder; every log is in the journal on a card.
    for (const line of ['host logs', 'supervisor logs', 'dns logs']) expect(lines).toContain(`config ${line}`);
  });

  it.each(CASES)('ha %s with --%s: exit 2, nothing sent, changed or shown of this machine', async (line, target) => {
    const value = target === 'config' ? configDir : image;
    const run = await runHa(['--endpoint', endpoint, FLAG[target], value, ...line.split(' ')], { env });
    const path = line.replace(/ x1$/, '');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^Error: '${path}' acts (through|on) .*, not on the ${target === 'config' ? 'config folder given with --config' : 'disk image given with --image'}; nothing was done\\.\\nHint: Offline with ${FLAG[target]}: (core logs, )?.*auth list, auth reset, .*onboarding reset.*\\n$`));
    expect(requests).toEqual([]);
    for (const marker of localMarkers()) expect(`${run.stdout}${run.stderr}`).not.toContain(marker);
    expect(snapshot(configDir)).toEqual(before.config);
    expect(snapshot(hostConfigDir)).toEqual(before.host);
    expect(snapshot(image)).toEqual(before.image);
    expect(existsSync(join(work, 'vconsole.conf'))).toBe(false);
    expect(existsSync(join(work, 'printk'))).toBe(false);
  });

  it('log commands given a config folder say where their log is instead', async () => {
    const folder = await runHa(['--endpoint', endpoint, '--config', configDir, 'supervisor', 'logs'], { env });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(" A config folder holds only Core's own log; this one is in the journal on the card (--image).");
    const dmesg = await runHa(['--endpoint', endpoint, '--image', image, 'dmesg'], { env });
    expect(dmesg.stderr).toContain(" A card's kernel messages are in its journal: ha --image CARD host logs -t kernel.");
    expect(requests).toEqual([]);
  });
});

describe('with a recovery target, help and the prompt show only what works there', () => {
  const sessions: TerminalSession[] = [];
  afterEach(() => {
    for (const s of sessions.splice(0)) s.close();
    requests.length = 0;
  });

  it('ha --image X help', async () => {
    const run = await runHa(['--endpoint', endpoint, '--image', image, 'help'], { env });
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((l) => /^ {2}[a-z]/.test(l) && !l.trim().startsWith('--')).map((l) => l.trim().split(/\s{2,}/)[0]);
    expect(rows).toEqual(['core logs', 'supervisor logs', 'host logs', 'dns logs', 'auth list', 'auth reset', 'auth mfa', 'auth add', 'auth activate', 'auth local-only', 'onboarding reset', 'backups list', 'backups export', 'files ls', 'files cp', 'info', 'help', 'exit']);
    expect(run.stdout).toContain('Commands that work with --image');
  });

  it('the prompt started with --config refuses the others and lists only offline commands', async () => {
    const run = await runHa(['--endpoint', endpoint, '--config', configDir], { env, input: 'help\nhost info\ncore stop\nauth list\n' });
    // A piped REPL exits with its last failure (here the refusals, 2).
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^ha > Commands that work with --config/);
    expect(run.stdout).not.toMatch(/^ {2}(core (?!logs)|host|info|login)\b/m);
    expect(run.stdout).toMatch(/^alice\s+Alice\s+yes/m);
    expect(run.stderr).toMatch(/^Error: 'host info' acts .*\nHint: .*\nError: 'core stop' acts through the Supervisor, not on the config folder/);
    expect(requests).toEqual([]);
  });

  it('Tab offers only the commands that work on the image', async () => {
    const s = new TerminalSession({ args: ['--endpoint', endpoint, '--image', image], env });
    sessions.push(s);
    await s.waitFor(/ha > $/m);
    // Without the filter `d` would stop at `d` (dns, dmesg); here dns is the only one (its logs are on the card).
    s.type(`d${KEYS.tab}`);
    await s.waitFor(/ha > dns $/m);
    s.type(KEYS.ctrlC);
    await s.waitFor(/\^C\nha >/);
    s.type(`${KEYS.tab}${KEYS.tab}`);
    const screen = await s.waitFor(/core\s+supervisor\s+host\s+dns\s+auth\s+onboarding\s+backups\s+files\s+info\s+help\s+exit/);
    expect(screen).not.toMatch(/\b(network|dmesg|login|banner)\b/);
    s.type(KEYS.ctrlC);
    await s.waitFor(/\^C\n[^]*\^C\nha >/);
    s.type(`exit${KEYS.enter}`);
    expect(await s.waitForExit()).toBe(0);
    expect(requests).toEqual([]);
  });
});

describe('the console with a recovery target', () => {
  it('is refused before its kernel log phase or banner', async () => {
    const run = await runHa(['--endpoint', endpoint, '--image', image, 'console'], { env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Error: The console shows this machine .*--image\.\nHint: For a prompt on that target: ha --image /);
    for (const marker of localMarkers()) expect(run.stderr).not.toContain(marker);
    expect(requests).toEqual([]);
  });
});

describe('--config given a file', () => {
  it('points a disk image at --image, and reads nothing else', async () => {
    const before = snapshot(image);
    const run = await runHa(['--config', image, 'auth', 'list'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`Error: --config names a Home Assistant config folder (as hass --config does), and ${image} is a file that looks like a disk image (GPT partition table).\nHint: For an SD card, disk or image, use --image ${image}\n`);
    expect(snapshot(image)).toEqual(before);
  });

  it("says it is not the Go CLI's settings file, before asking for a password", async () => {
    const settings = join(work, '.homeassistant.yaml');
    writeFileSync(settings, 'endpoint: supervisor\n');
    const s = new TerminalSession({ args: ['--config', settings, 'auth', 'reset', '--username', 'alice'], env, cols: 300 });
    try {
      const screen = await s.waitFor('folder that holds');
      expect(screen).toMatch(/is a file\.\s+Hint: It is not the ha CLI's settings file \(~\/\.homeassistant\.yaml\)\./);
      expect(screen).not.toContain('New password');
      expect(await s.waitForExit()).toBe(2);
    } finally {
      s.close();
    }
  });
});
