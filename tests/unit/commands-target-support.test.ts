import { describe, expect, it } from 'vitest';
import { completeLine } from '../../src/commands/complete';
import { renderCommandHelp, renderRootHelp } from '../../src/commands/help';
import { REGISTRY } from '../../src/commands/registry';
import { resolveCommand } from '../../src/commands/resolve';
import { checkGroupSupport, checkTargetSupport, commandsActingOn, consoleTargetError, registryFor, supportsTarget } from '../../src/commands/target-support';
import type { CommandSpec, GroupSpec, RegistryEntry } from '../../src/commands/types';
import { isUsageError, type UsageError } from '../../src/errors/usage-error';
import { thrownBy } from '../helpers/catch-error';

// The declaration check (which command acts where) and what help and Tab show with --config/--image.

const IMAGE = { configDir: undefined, imagePath: 'card.img' };
const CONFIG = { configDir: '/config', imagePath: undefined };
const NONE = { configDir: undefined, imagePath: undefined };

/** Every command of the registry with its path (`core logs`, `info`). */
function allCommands(registry: readonly RegistryEntry[] = REGISTRY): [string, CommandSpec][] {
  return registry.flatMap((e): [string, CommandSpec][] => ('group' in e ? e.group.commands.map((c): [string, CommandSpec] => [`${e.group.name} ${c.name}`, c]) : [[e.command.name, e.command]]));
}

function commandAt(path: string): CommandSpec {
  const resolved = resolveCommand(path.split(' '));
  if (resolved.kind !== 'command') throw new Error(`${path} is a group`);
  return resolved.command;
}

function refusal(fn: () => unknown): UsageError {
  const caught = thrownBy(fn);
  expect(isUsageError(caught)).toBe(true);
  return caught as UsageError;
}

describe('what commands declare', () => {
  it.each(allCommands())('%s declares where it acts, each target once', (_path, command) => {
    if (command.targets === 'anywhere') return;
    expect(command.targets.length).toBeGreaterThan(0);
    expect(new Set(command.targets).size).toBe(command.targets.length);
  });

  it.each(['host reboot', 'host shutdown', 'host keymap', 'core start', 'core stop', 'core restart', 'dmesg', 'login', 'banner', 'host info'])(
    '%s never runs on a config folder or an image',
    (path) => {
      const command = commandAt(path);
      expect(supportsTarget(command, 'config')).toBe(false);
      expect(supportsTarget(command, 'image')).toBe(false);
    },
  );

  it('lists the commands that act on each recovery target', () => {
    expect(commandsActingOn('image')).toEqual(['core logs', 'supervisor logs', 'host logs', 'dns logs', 'auth list', 'auth reset', 'auth mfa', 'auth add', 'auth activate', 'auth local-only', 'onboarding reset', 'backups list', 'backups export', 'files ls', 'files cp', 'info']);
    expect(commandsActingOn('config')).toEqual(['core logs', 'auth list', 'auth reset', 'auth mfa', 'auth add', 'auth activate', 'auth local-only', 'onboarding reset']);
  });
});

describe('checkTargetSupport', () => {
  it.each([
    ['host info', IMAGE, /^'host info' acts through the Supervisor or on this machine, not on the disk image given with --image/, /^Offline with --image: core logs, supervisor logs, host logs, dns logs, auth list, auth reset, auth mfa, auth add, auth activate, auth local-only, onboarding reset, backups list, backups export, files ls, files cp, info\.$/],
    ['core stop', CONFIG, /^'core stop' acts through the Supervisor, not on the config folder given with --config/, /^Offline with --config: core logs, auth list, auth reset, auth mfa, auth add, auth activate, auth local-only, onboarding reset\. --config is a Home Assistant config folder, not the ha CLI's settings file\.$/],
    ['dmesg', IMAGE, /^'dmesg' acts on this machine, not on the disk image/, /in its journal: ha --image CARD host logs -t kernel\.$/],
    ['supervisor logs', CONFIG, /^'supervisor logs' acts through the Supervisor or on a disk image \(--image\), not on the config folder/, /this one is in the journal on the card \(--image\)\. --config is/],
    ['info', CONFIG, /^'info' acts through the Supervisor or on a disk image \(--image\), not on the config folder/, /^Offline with --config: /],
  ])('refuses %s with %j: one line naming where it acts, and the offline commands', (path, globals, message, hint) => {
    const error = refusal(() => checkTargetSupport(commandAt(path), path, globals));
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/\n/);
    expect(error.hint).toMatch(hint);
  });

  it.each([
    ['auth list', IMAGE],
    ['auth reset', CONFIG],
    ['onboarding reset', IMAGE],
    ['info', IMAGE],
    ['core logs', CONFIG],
    ['host logs', IMAGE],
    ['backups export', IMAGE],
    ['files cp', IMAGE],
    ['help', IMAGE],
    ['exit', CONFIG],
    ['core stop', NONE],
    ['host reboot', NONE],
  ])('lets %s run with %j', (path, globals) => {
    expect(() => checkTargetSupport(commandAt(path), path, globals)).not.toThrow();
  });

  it('speaks of home-assistant.log only for Core, the one log a config folder holds', () => {
    expect(refusal(() => checkTargetSupport(commandAt('host logs'), 'host logs', CONFIG)).hint).not.toContain('home-assistant.log');
    expect(() => checkTargetSupport(commandAt('host logs'), 'host logs', IMAGE)).not.toThrow();
  });

  it('refuses the console with a recovery target, and only then', () => {
    const error = consoleTargetError(IMAGE);
    expect(error?.message).toBe('The console shows this machine (its kernel log, banner and keyboard); it does not run with --image.');
    expect(error?.hint).toBe('For a prompt on that target: ha --image card.img');
    expect(consoleTargetError(NONE)).toBeUndefined();
  });

  it('refuses a command that acts only on a recovery target when none is given', () => {
    const offlineOnly: CommandSpec = { name: 'fsck', summary: 'x', flags: [], targets: ['image'], run: async () => ({ kind: 'streamed' }) };
    const error = refusal(() => checkTargetSupport(offlineOnly, 'fsck', NONE));
    expect(error.message).toBe("'fsck' acts on a disk image (--image); give one.");
    expect(error.hint).toBe('Example: ha --image sdcard.img fsck');
    expect(() => checkTargetSupport(offlineOnly, 'fsck', IMAGE)).not.toThrow();
  });

  it('refuses a group that has nothing for the target, and narrows one that has', () => {
    const group = (name: string): GroupSpec => {
      const entry = REGISTRY.find((e) => 'group' in e && e.group.name === name);
      if (!entry || !('group' in entry)) throw new Error(name);
      return entry.group;
    };
    expect(refusal(() => checkGroupSupport(group('network'), IMAGE)).message).toBe("No 'network' command works with --image: they act through the Supervisor.");
    expect(checkGroupSupport(group('host'), IMAGE).commands.map((c) => c.name)).toEqual(['logs']);
    expect(checkGroupSupport(group('auth'), CONFIG).commands.map((c) => c.name)).toEqual(['list', 'reset', 'mfa', 'add', 'activate', 'local-only']);
    expect(checkGroupSupport(group('auth'), NONE).commands.map((c) => c.name)).toEqual(['list', 'reset', 'mfa', 'add', 'activate', 'local-only', 'cache']);
  });
});

describe('help and Tab completion with a recovery target', () => {
  it('keep only the commands that work there', () => {
    expect(allCommands(registryFor('image')).map(([p]) => p)).toEqual(['core logs', 'supervisor logs', 'host logs', 'dns logs', 'auth list', 'auth reset', 'auth mfa', 'auth add', 'auth activate', 'auth local-only', 'onboarding reset', 'backups list', 'backups export', 'files ls', 'files cp', 'info', 'help', 'exit']);
    expect(allCommands(registryFor('config')).map(([p]) => p)).toEqual(['core logs', 'auth list', 'auth reset', 'auth mfa', 'auth add', 'auth activate', 'auth local-only', 'onboarding reset', 'help', 'exit']);
    expect(registryFor(undefined)).toBe(REGISTRY);
  });

  it.each([
    ['', 'image', ['core ', 'supervisor ', 'host ', 'dns ', 'auth ', 'onboarding ', 'backups ', 'files ', 'info ', 'help ', 'exit ']],
    ['', 'config', ['core ', 'auth ', 'onboarding ', 'help ', 'exit ']],
    ['auth ', 'config', ['list ', 'reset ', 'mfa ', 'add ', 'activate ', 'local-only ']],
    ['ho', 'image', ['host ']],
    ['core ', 'config', ['logs ']],
    ['net', 'image', []],
    ['help ', 'image', ['core ', 'supervisor ', 'host ', 'dns ', 'auth ', 'onboarding ', 'backups ', 'files ', 'info ', 'help ', 'exit ']],
  ] as const)('completes %j with --%s', (line, target, expected) => {
    expect(completeLine(line, registryFor(target))[0]).toEqual(expected);
  });

  it('root help lists only those, and says why', () => {
    const oneshot = renderRootHelp({ oneshot: true, target: 'image' }, registryFor('image'));
    expect(oneshot).toContain('Commands that work with --image (the others act through the Supervisor or on this machine):');
    expect(oneshot).toMatch(/^ {2}info {2,}/m);
    expect(oneshot).not.toMatch(/^ {2}(network|dmesg|login|banner|auth cache)\b/m);
    const repl = renderRootHelp({ oneshot: false, target: 'config' }, registryFor('config'));
    expect(repl).toMatch(/^Commands that work with --config/);
    expect(repl).not.toMatch(/^ {2}(info|login|host)\b/m);
    expect(repl).not.toContain('"login"');
  });

  it('command help says where a command acts', () => {
    expect(renderCommandHelp(commandAt('host reboot'), 'host reboot')).toContain('\n\nActs through the Supervisor or on this machine.\n\n');
    expect(renderCommandHelp(commandAt('auth list'), 'auth list')).toContain('Acts through the Supervisor or on a config folder (--config) or on a disk image (--image).');
    expect(renderCommandHelp(commandAt('exit'), 'exit')).not.toContain('Acts');
  });
});
