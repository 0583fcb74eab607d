import { HaError } from '../../errors/ha-error';
import { SupervisorResponseError } from '../../supervisor/errors';
import { CORE_ACTION_TIMEOUT_MS } from '../api-command';
import type { CommandSpec } from '../types';
import { safeLogLine } from '../../render/safe-text';

/**
 * `core check`: runs Home Assistant's configuration check. When the configuration is invalid the
 * Supervisor's error message is the check's whole output (supervisor/api/homeassistant.py:232-237), so
 * every line of it is printed, not only the first; 10 minutes as the Go CLI allows (cli cmd/core_check.go:30).
 */
export const coreCheckCommand: CommandSpec = {
  name: 'check',
  aliases: ['validate', 'chk', 'ch'],
  summary: 'Check the Home Assistant configuration',
  flags: [],
  targets: ['supervisor'],
  async run(ctx) {
    try {
      const result = await ctx.supervisor().call('POST', '/core/check', undefined, { signal: ctx.signal, timeoutMs: CORE_ACTION_TIMEOUT_MS });
      return { kind: 'data', data: result.data, body: result.body };
    } catch (error) {
      if (!(error instanceof SupervisorResponseError) || error.detail === undefined || ctx.globals.rawJson) throw error;
      ctx.io.stderr.write(safeLogLine(error.detail.endsWith('\n') ? error.detail : `${error.detail}\n`));
      throw new HaError('The Home Assistant configuration check failed (its output is above).', {
        hint: 'Fix what it names, then run `core check` again before restarting Core.',
        ...(error.body !== undefined ? { body: error.body } : {}),
      });
    }
  },
};
