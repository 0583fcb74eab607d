import type { CallOptions, SupervisorClient } from './api';
import { SupervisorResponseError } from './errors';

/** What the Supervisor says about Core's container. */
export type CoreRunState = 'running' | 'stopped' | 'unknown';

const RUNNING_STATES = new Set(['running', 'started', 'startup']);
const STOPPED_STATES = new Set(['stopped', 'exited', 'dead', 'created', 'error', 'failed']);

/**
 * Tells "Core is stopped" apart from other failures, so a failed `auth reset` (whose real message is
 * always "Username ... does not exist") can be reported honestly. Uses `/core/info` `state` when the
 * Supervisor sends one, else `/core/stats`, which the Supervisor answers with an error when Core's
 * container is not running. 'unknown' when the Supervisor itself cannot be asked.
 */
export async function probeCoreRunning(client: SupervisorClient, options: CallOptions = {}): Promise<CoreRunState> {
  const [info, stats] = await Promise.allSettled([client.coreInfo(options), client.coreStats(options)]);
  if (info.status === 'fulfilled') {
    const state = info.value.data['state'];
    if (typeof state === 'string' && RUNNING_STATES.has(state.toLowerCase())) return 'running';
    if (typeof state === 'string' && STOPPED_STATES.has(state.toLowerCase())) return 'stopped';
  }
  if (stats.status === 'fulfilled') return 'running';
  const error: unknown = stats.reason;
  if (options.signal?.aborted === true) throw error;
  if (info.status === 'fulfilled' && error instanceof SupervisorResponseError && isCoreSideFailure(error)) return 'stopped';
  return 'unknown';
}

/** An error answer of /core/stats that is about Core, not about our access or the Supervisor's readiness. */
function isCoreSideFailure(error: SupervisorResponseError): boolean {
  if (error.status === 401 || error.status === 403 || error.status === 404 || error.status === 405) return false;
  return error.body !== undefined && error.body.trim().startsWith('{') && !/not ready/i.test(error.message) && !/still starting/i.test(error.message);
}
