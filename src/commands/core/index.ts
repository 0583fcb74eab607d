import { createApiCommand, CORE_ACTION_TIMEOUT_MS } from '../api-command';
import { createLogsCommand } from '../logs-command';
import type { GroupSpec } from '../types';
import { coreCheckCommand } from './check';

const FORCE = { name: 'force', short: 'f', kind: 'boolean', description: 'Go ahead even during an offline database migration' } as const;

/** `core ...`: Home Assistant Core. */
export const coreGroup: GroupSpec = {
  name: 'core',
  aliases: ['homeassistant', 'home-assistant', 'ha'],
  summary: 'Home Assistant Core: logs, state, start and stop',
  commands: [
    createLogsCommand('core', 'Home Assistant Core'),
    createApiCommand({ name: 'info', aliases: ['inf', 'in'], summary: 'Show Core version, state and settings', fetch: (c, _a, o) => c.coreInfo(o) }),
    // Aliases as the Go CLI (cli cmd/core_*.go): `st` is start there (core_start.go:12), not stats (core_stats.go:12).
    createApiCommand({ name: 'stats', aliases: ['status', 'stat'], summary: 'Show CPU, memory and network use of Core', fetch: (c, _a, o) => c.coreStats(o) }),
    createApiCommand({
      name: 'restart',
      aliases: ['reboot'],
      summary: 'Restart Home Assistant Core',
      flags: [{ name: 'safe-mode', short: 's', kind: 'boolean', description: 'Restart in safe mode (custom integrations off)' }, FORCE],
      fetch: (c, a, o) =>
        c.call('POST', '/core/restart', { ...(a.flags['safe-mode'] === true ? { safe_mode: true } : {}), ...(a.flags['force'] === true ? { force: true } : {}) }, { ...o, timeoutMs: CORE_ACTION_TIMEOUT_MS }),
    }),
    createApiCommand({ name: 'start', aliases: ['run', 'st'], summary: 'Start Home Assistant Core', fetch: (c, _a, o) => c.call('POST', '/core/start', undefined, { ...o, timeoutMs: CORE_ACTION_TIMEOUT_MS }) }),
    createApiCommand({
      name: 'stop',
      summary: 'Stop Home Assistant Core',
      flags: [FORCE],
      fetch: (c, a, o) => c.call('POST', '/core/stop', a.flags['force'] === true ? { force: true } : undefined, { ...o, timeoutMs: CORE_ACTION_TIMEOUT_MS }),
    }),
    coreCheckCommand,
  ],
};
