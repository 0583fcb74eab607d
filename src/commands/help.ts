import { HELP_FLAG } from '../cli/parse-flags';
import { REGISTRY } from './registry';
import { describeTargets, flagOf } from './target-support';
import type { CommandSpec, FlagSpec, GroupSpec, RecoveryTargetKind, RegistryEntry } from './types';

/** Global flags, shown in the root help of the one-shot CLI. */
export const GLOBAL_FLAGS_HELP: readonly [string, string][] = [
  ['--endpoint URL', 'Supervisor address (env SUPERVISOR_ENDPOINT; else on a HAOS host http://172.30.32.2, else http://supervisor)'],
  ['--api-token TOKEN', 'Supervisor token (env SUPERVISOR_API_TOKEN, SUPERVISOR_TOKEN, HASSIO_TOKEN; else the CLI plugin\'s token on a HAOS host)'],
  ['--config DIR', 'Act on a Home Assistant config folder (the one holding .storage, as hass --config), offline'],
  ['--image PATH', 'Act on an SD card, disk image or block device, offline (no mount, no root)'],
  ['--raw-json', 'Print the API response verbatim (exit 1 when it is an error)'],
  ['--no-color', 'No colours (also NO_COLOR)'],
  ['--version', 'Print the version'],
  ['--help', 'Show this help'],
];

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n');
}

function flagLabel(flag: FlagSpec): string {
  const value = flag.kind === 'boolean' ? '' : ` ${flag.valueName ?? 'VALUE'}`;
  return `${flag.short ? `-${flag.short}, ` : '    '}--${flag.name}${value}`;
}

/** How `ha` is called: a command, the console, the prompt, the demo (`ha --help`, `ha console --help`). */
export const USAGE = [
  'Usage: ha [global flags] <command> [flags]',
  '       ha console [--kmsg PATH] [--serial DEV [--baud N]]',
  '                                  the appliance console: kernel log until Enter, then the prompt',
  '       ha                         the prompt only (on a terminal)',
  '       ha demo                    the console against a built-in Supervisor emulator',
].join('\n');

/**
 * The list of commands. With a recovery target, pass the registry filtered for it (registryFor): the
 * heading then says that only those work there.
 */
export function renderRootHelp(options: { oneshot: boolean; target?: RecoveryTargetKind }, registry: readonly RegistryEntry[] = REGISTRY): string {
  const rows = registry.flatMap((entry): [string, string][] =>
    'group' in entry ? entry.group.commands.map((c): [string, string] => [`${entry.group.name} ${c.name}`, c.summary]) : [[entry.command.name, entry.command.summary]],
  );
  const only = options.target ? `Commands that work with ${flagOf(options.target)} (the others act through the Supervisor or on this machine)` : undefined;
  const head = options.oneshot
    ? [USAGE, '', `${only ?? 'Commands'}:`].join('\n')
    : only
      ? `${only}.\nType a command, or "<command> --help"; Tab completes:`
      : 'Commands (type a command, or "<command> --help"; Tab completes):';
  const tail = options.oneshot
    ? `\n\nGlobal flags:\n${table(GLOBAL_FLAGS_HELP)}\n\nExit status: 0 ok, 1 failed, 2 wrong usage.`
    : only
      ? ''
      : '\n\nNote: use "login" to enter the operating system shell.';
  return `${head}\n${table(rows)}${tail}`;
}

/** Help of a group: its commands. */
export function renderGroupHelp(group: GroupSpec): string {
  const aliases = group.aliases?.length ? `\nAliases: ${group.aliases.join(', ')}` : '';
  return `${group.summary}${aliases}\n\nCommands:\n${table(group.commands.map((c) => [`${group.name} ${c.name}`, c.summary]))}`;
}

/** Help of one command: usage, flags, examples. */
export function renderCommandHelp(command: CommandSpec, path: string): string {
  const flags = [...command.flags, HELP_FLAG];
  const parts = [
    `${command.summary}\n\nUsage: ${path}${command.flags.length ? ' [flags]' : ''}${command.usage ? ` ${command.usage}` : ''}`,
    command.aliases?.length ? `Aliases: ${command.aliases.join(', ')}` : '',
    command.targets === 'anywhere' ? '' : `Acts ${describeTargets(command)}.`,
    `Flags:\n${table(flags.map((f) => [flagLabel(f), f.description]))}`,
    command.examples?.length ? `Examples:\n${command.examples.map((e) => `  ${e}`).join('\n')}` : '',
  ];
  return parts.filter((p) => p !== '').join('\n\n');
}
