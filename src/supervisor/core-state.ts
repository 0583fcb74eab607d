import type { CallOptions, SupervisorClient } from './api';
import { SupervisorResponseError } from './errors';

/** What the Supervisor says about Core's container. */
export type CoreRunState = 'running' | 'stopped' | 'unknown';

const RUNNING_STATES = new Set(['running', 'started', 'startup']);
const STOPPED_STATES = new Set(['stopped', 'exited', 'dead', 'created', 'error', 'failed']);

/** Core's state from Docker on the host (`homeassistant` container); undefined when Docker cannot be asked. */
export async function coreStateFromDocker(dockerSocket: string | undefined, signal?: AbortSignal): Promise<CoreRunState | undefined> {
  if (dockerSocket === undefined) return undefined;
  const { inspectContainer } = await import('../host/docker');
  const container = await inspectContainer(dockerSocket, 'homeassistant', signal ? { signal } : {});
  if (container === undefined) return undefined;
  return container.exists && container.running ? 'running' : 'stopped';
}

/**
 * Tells "Core is stopped" apart from other failures, so a failed `auth reset` (whose real message is
 * always "Username ... does not exist") can be reported honestly. Asks Docker on the host first (no
 * side effects). Else, once (never on a timer: with Core stopped the Supervisor logs a traceback for
 * it, supervisor/api/utils.py:118-122), `/core/stats`, which fails while Core's container is not
 * running. 'unknown' when the Supervisor itself cannot be asked.
 */
export async function probeCoreRunning(client: SupervisorClient, options: CallOptions = {}): Promise<CoreRunState> {
  const fromDocker = await coreStateFromDocker(client.dockerSocket, options.signal);
  if (fromDocker !== undefined) return fromDocker;
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
