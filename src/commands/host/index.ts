import { createGetCommand } from '../api-command';
import { createLogsCommand } from '../logs-command';
import type { GroupSpec } from '../types';
import { createPowerCommand } from './power';

/** `host ...`: the machine itself. */
export const hostGroup: GroupSpec = {
  name: 'host',
  aliases: ['ho'],
  summary: 'The machine: logs, information, reboot and shutdown',
  commands: [
    createLogsCommand('host', 'the host system (journal)', [
      { name: 'identifier', short: 't', kind: 'string', valueName: 'ID', description: 'Only entries of this syslog identifier (e.g. NetworkManager)' },
    ]),
    createGetCommand('info', 'Show host name, OS, kernel and disk use', '/host/info', ['inf', 'in']),
    createPowerCommand('reboot'),
    createPowerCommand('shutdown'),
  ],
};
