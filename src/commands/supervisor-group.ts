import { createGetCommand } from './api-command';
import { createLogsCommand } from './logs-command';
import type { GroupSpec } from './types';

/** `supervisor ...`: the Home Assistant Supervisor. */
export const supervisorGroup: GroupSpec = {
  name: 'supervisor',
  aliases: ['super', 'su'],
  summary: 'The Supervisor: logs and state',
  commands: [
    createLogsCommand('supervisor', 'the Supervisor'),
    createGetCommand('info', 'Show Supervisor version, channel and health', '/supervisor/info', ['inf', 'in']),
    createGetCommand('stats', 'Show CPU and memory use of the Supervisor', '/supervisor/stats', ['status', 'stat', 'st']),
  ],
};

/** `dns ...`: the DNS plugin. */
export const dnsGroup: GroupSpec = {
  name: 'dns',
  summary: 'The DNS plugin: logs and settings',
  commands: [
    createLogsCommand('dns', 'the DNS plugin'),
    createGetCommand('info', 'Show DNS servers and settings', '/dns/info', ['inf', 'in']),
    // cli cmd/dns_stats.go:12 has no `st`; cmd/supervisor_stats.go:12 has.
    createGetCommand('stats', 'Show CPU and memory use of the DNS plugin', '/dns/stats', ['status', 'stat']),
  ],
};
