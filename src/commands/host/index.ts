import type { JsonValue } from '../../supervisor/api';
import type { CommandSpec, GroupSpec } from '../types';
import { hostKeymapCommand } from './keymap';
import { hostLogsCommand } from './logs';
import { createPowerCommand } from './power';

/** `host info`: from the Supervisor, or from the machine itself when there is none. */
const hostInfoCommand: CommandSpec = {
  name: 'info',
  aliases: ['inf', 'in'],
  summary: 'Show host name, OS, kernel, memory and disk use',
  flags: [],
  targets: ['supervisor', 'local'],
  async run(ctx) {
    if (!ctx.supervisorConfigured) {
      const { readLocalHostInfo } = await import('../../host/local-info');
      return { kind: 'data', data: (await readLocalHostInfo()) as JsonValue };
    }
    const result = await ctx.supervisor().call('GET', '/host/info', undefined, { signal: ctx.signal });
    return { kind: 'data', data: result.data, body: result.body };
  },
};

/** `host ...`: the machine itself. */
export const hostGroup: GroupSpec = {
  name: 'host',
  aliases: ['ho'],
  summary: 'The machine: logs, information, reboot, shutdown and keyboard layout',
  commands: [
    hostLogsCommand,
    hostInfoCommand,
    createPowerCommand('reboot'),
    createPowerCommand('shutdown'),
    hostKeymapCommand,
  ],
};
