import { createApiCommand, CORE_ACTION_TIMEOUT_MS } from '../api-command';
import { createLogsCommand } from '../logs-command';
import type { GroupSpec } from '../types';

const FORCE = { name: 'force', short: 'f', kind: 'boolean', description: 'Go ahead even during an offline database migration' } as const;

/** `core ...`: Home Assistant Core. */
export const coreGroup: GroupSpec = {
  name: 'core',
  aliases: ['homeassistant', 'home-assistant', 'ha'],
  summary: 'Home Assistant Core: logs, state, start and stop',
  commands: [
    createLogsCommand('core', 'Home Assistant Core'),
    createApiCommand({ name: 'info', aliases: ['inf', 'in'], summary: 'Show Core version, state and settings', fetch: (c, _a, o) => c.coreInfo(o) }),
    createApiCommand({ name: 'stats', aliases: ['stat', 'st'], summary: 'Show CPU, memory and network use of Core', fetch: (c, _a, o) => c.coreStats(o) }),
    createApiCommand({
      name: 'restart',
      summary: 'Restart Home Assistant Core',
      flags: [{ name: 'safe-mode', short: 's', kind: 'boolean', description: 'Restart in safe mode (custom integrations off)' }, FORCE],
      fetch: (c, a, o) =>
        c.call('POST', '/core/restart', { ...(a.flags['safe-mode'] === true ? { safe_mode: true } : {}), ...(a.flags['force'] === true ? { force: true } : {}) }, { ...o, timeoutMs: CORE_ACTION_TIMEOUT_MS }),
    }),
    createApiCommand({ name: 'start', summary: 'Start Home Assistant Core', fetch: (c, _a, o) => c.call('POST', '/core/start', undefined, { ...o, timeoutMs: CORE_ACTION_TIMEOUT_MS }) }),
    createApiCommand({
      name: 'stop',
      summary: 'Stop Home Assistant Core',
      flags: [FORCE],
      fetch: (c, a, o) => c.call('POST', '/core/stop', a.flags['force'] === true ? { force: true } : undefined, { ...o, timeoutMs: CORE_ACTION_TIMEOUT_MS }),
    }),
    createApiCommand({ name: 'check', summary: 'Check the Home Assistant configuration', fetch: (c, _a, o) => c.call('POST', '/core/check', undefined, { ...o, timeoutMs: CORE_ACTION_TIMEOUT_MS }) }),
  ],
};
