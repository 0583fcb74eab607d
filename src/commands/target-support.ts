import { UsageError } from '../errors/usage-error';
import { REGISTRY } from './registry';
import type { CommandSpec, GlobalOptions, GroupSpec, RecoveryTargetKind, RegistryEntry, TargetKind } from './types';

// Where a command may act, checked once before `run` (execute.ts), so a recovery target
// (--config/--image) never ends up acting on the machine the person is sitting at.

/** How each target reads after "acts". */
const ACTS: Readonly<Record<TargetKind, string>> = {
  supervisor: 'through the Supervisor',
  local: 'on this machine',
  config: 'on a config folder (--config)',
  image: 'on a disk image (--image)',
};

/** The recovery target given as a global flag, if any (pure). */
export function recoveryTargetOf(globals: Pick<GlobalOptions, 'configDir' | 'imagePath'>): RecoveryTargetKind | undefined {
  if (globals.configDir !== undefined) return 'config';
  if (globals.imagePath !== undefined) return 'image';
  return undefined;
}

/** The flag that selects a recovery target. */
export function flagOf(target: RecoveryTargetKind): string {
  return target === 'config' ? '--config' : '--image';
}

/** True when `command` may run on `target`. */
export function supportsTarget(command: CommandSpec, target: TargetKind): boolean {
  return command.targets === 'anywhere' || command.targets.includes(target);
}

/** Targets in words, in a fixed order: `through the Supervisor or on this machine` (pure). */
function describeKinds(kinds: readonly TargetKind[]): string {
  return (Object.keys(ACTS) as TargetKind[]).filter((t) => kinds.includes(t)).map((t) => ACTS[t]).join(' or ');
}

/** Where a command acts, in words; undefined for commands that act on nothing (`anywhere`). */
export function describeTargets(command: CommandSpec): string | undefined {
  return command.targets === 'anywhere' ? undefined : describeKinds(command.targets);
}

/** A group with only the commands that work on `target` (all of them without a target). */
export function groupFor(group: GroupSpec, target: RecoveryTargetKind | undefined): GroupSpec {
  return target === undefined ? group : { ...group, commands: group.commands.filter((c) => supportsTarget(c, target)) };
}

/** The registry as help and Tab completion show it with a recovery target: only what works there. */
export function registryFor(target: RecoveryTargetKind | undefined, registry: readonly RegistryEntry[] = REGISTRY): readonly RegistryEntry[] {
  if (target === undefined) return registry;
  return registry.flatMap((entry): RegistryEntry[] => {
    if ('command' in entry) return supportsTarget(entry.command, target) ? [entry] : [];
    const group = groupFor(entry.group, target);
    return group.commands.length > 0 ? [{ group }] : [];
  });
}

/** Paths of the commands that act on `target` itself (help and exit, which act on nothing, left out). */
export function commandsActingOn(target: RecoveryTargetKind, registry: readonly RegistryEntry[] = REGISTRY): string[] {
  return registry.flatMap((entry) => {
    const commands = 'group' in entry ? entry.group.commands.map((c) => [`${entry.group.name} ${c.name}`, c] as const) : [[entry.command.name, entry.command] as const];
    return commands.filter(([, c]) => c.targets !== 'anywhere' && c.targets.includes(target)).map(([path]) => path);
  });
}

/** The hint of a refusal: what works offline there, and what the command cannot do offline. */
function offlineHint(target: RecoveryTargetKind, command: CommandSpec | undefined, registry: readonly RegistryEntry[]): string {
  const offline = commandsActingOn(target, registry);
  const parts = [offline.length > 0 ? `Offline with ${flagOf(target)}: ${offline.join(', ')}.` : `No command works with ${flagOf(target)}.`];
  const note = command?.targetNotes?.[target];
  if (note !== undefined) parts.push(note);
  if (target === 'config' && command !== undefined && supportsTarget(command, 'supervisor')) {
    parts.push("--config is a Home Assistant config folder, not the ha CLI's settings file.");
  }
  return parts.join(' ');
}

/**
 * Refuses, as a usage error, a command given a recovery target it does not act on, or a command that
 * acts only on a recovery target given none. Pure: nothing is read, opened or sent.
 */
export function checkTargetSupport(command: CommandSpec, path: string, globals: Pick<GlobalOptions, 'configDir' | 'imagePath'>, registry: readonly RegistryEntry[] = REGISTRY): void {
  const target = recoveryTargetOf(globals);
  if (command.targets === 'anywhere') return;
  if (target === undefined) {
    if (supportsTarget(command, 'supervisor') || supportsTarget(command, 'local')) return;
    const offline = command.targets.find((t): t is RecoveryTargetKind => t === 'config' || t === 'image') ?? 'config';
    throw new UsageError(`'${path}' acts ${describeTargets(command)}; give one.`, `Example: ha ${flagOf(offline)} ${offline === 'config' ? '/path/to/config' : 'sdcard.img'} ${path}`);
  }
  if (supportsTarget(command, target)) return;
  const given = target === 'config' ? 'the config folder given with --config' : 'the disk image given with --image';
  throw new UsageError(`'${path}' acts ${describeTargets(command)}, not on ${given}; nothing was done.`, offlineHint(target, command, registry));
}

/** Refuses a group none of whose commands works on the recovery target (`ha --image X core`). */
export function checkGroupSupport(group: GroupSpec, globals: Pick<GlobalOptions, 'configDir' | 'imagePath'>, registry: readonly RegistryEntry[] = REGISTRY): GroupSpec {
  const target = recoveryTargetOf(globals);
  const shown = groupFor(group, target);
  if (target === undefined || shown.commands.length > 0) return shown;
  const kinds = group.commands.flatMap((c) => (c.targets === 'anywhere' ? [] : c.targets));
  throw new UsageError(`No '${group.name}' command works with ${flagOf(target)}: they act ${describeKinds(kinds)}.`, offlineHint(target, undefined, registry));
}

/** `ha --image X console`: the appliance console is this machine's (kernel log, banner, keyboard). */
export function consoleTargetError(globals: Pick<GlobalOptions, 'configDir' | 'imagePath'>): UsageError | undefined {
  const target = recoveryTargetOf(globals);
  if (target === undefined) return undefined;
  const value = target === 'config' ? globals.configDir : globals.imagePath;
  return new UsageError(`The console shows this machine (its kernel log, banner and keyboard); it does not run with ${flagOf(target)}.`, `For a prompt on that target: ha ${flagOf(target)} ${value ?? ''}`);
}
