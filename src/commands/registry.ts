import { authGroup } from './auth/index';
import { backupsGroup } from './backups/index';
import { coreGroup } from './core/index';
import { hostGroup } from './host/index';
import { bannerCommand, dmesgCommand, exitCommand, infoCommand, loginCommand } from './misc/index';
import { networkGroup } from './network/index';
import { onboardingResetCommand } from './onboarding/reset';
import { filesGroup } from './files/index';
import { dnsGroup, supervisorGroup } from './supervisor-group';
import type { CommandSpec, GroupSpec, RegistryEntry } from './types';

/** `onboarding ...`: start over with a new owner. */
const onboardingGroup: GroupSpec = { name: 'onboarding', summary: 'Start onboarding again (last resort when locked out)', commands: [onboardingResetCommand] };

/** `help`: placeholder entry; the runner answers it from the registry itself. */
export const helpCommand: CommandSpec = {
  name: 'help',
  summary: 'Show the commands, or help for one (help core logs)',
  flags: [],
  targets: 'anywhere',
  usage: '[COMMAND...]',
  maxPositionals: 3,
  async run() {
    return { kind: 'streamed' };
  },
};

/** Every command of the console and the CLI, in help order. Help and completion come from this list. */
export const REGISTRY: readonly RegistryEntry[] = [
  { group: coreGroup },
  { group: supervisorGroup },
  { group: hostGroup },
  { group: dnsGroup },
  { group: networkGroup },
  { group: authGroup },
  { group: onboardingGroup },
  { group: backupsGroup },
  { group: filesGroup },
  { command: infoCommand },
  { command: bannerCommand },
  { command: dmesgCommand },
  { command: loginCommand },
  { command: helpCommand },
  { command: exitCommand },
];

/** Name and aliases of an entry. */
export function namesOf(entry: GroupSpec | CommandSpec): string[] {
  return [entry.name, ...(entry.aliases ?? [])];
}
