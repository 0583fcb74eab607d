import type { SupervisorClient } from '../supervisor/api';
import { describeNetworkChange, readNetworkSnapshot } from './network-snapshot';
import type { NoticeBoard } from './notice-board';

/** How often the console looks at the network (read from the kernel: cheap). */
export const NETWORK_POLL_MS = 2000;
/** How often it asks the Supervisor about itself and Core. */
export const SUPERVISOR_POLL_MS = 10_000;

/** Describes a change of the Supervisor's or Core's state (pure). */
export function describeStateChange(what: string, before: string | undefined, now: string): string | undefined {
  if (before === undefined || before === now) return undefined;
  return `${what} is now ${now} (was ${before}).`;
}

/**
 * Keeps the person up to date at the prompt: addresses and link state as the network changes, and the
 * Supervisor's and Core's state as they change. Stops when `signal` aborts; timers never keep the process alive.
 */
export function watchStateNotices(board: NoticeBoard, options: { client: SupervisorClient | undefined; signal: AbortSignal; port: number; supervisorPollMs?: number }): void {
  let network = readNetworkSnapshot();
  const networkTimer = setInterval(() => {
    const now = readNetworkSnapshot();
    for (const line of describeNetworkChange(network, now, options.port)) board.post(line);
    network = now;
  }, NETWORK_POLL_MS);
  networkTimer.unref();
  const timers: NodeJS.Timeout[] = [networkTimer];
  const client = options.client;
  if (client) {
    let supervisor: string | undefined;
    let core: string | undefined;
    let busy = false;
    const poll = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        const call = { signal: options.signal, timeoutMs: 3000 };
        const nowSupervisor = await client.info(call).then((r) => (typeof r.data['state'] === 'string' ? r.data['state'] : 'running'), () => 'not reachable');
        const { probeCoreRunning } = await import('../supervisor/core-state');
        const nowCore = nowSupervisor === 'not reachable' ? 'unknown' : await probeCoreRunning(client, call);
        const notes = [describeStateChange('The Supervisor', supervisor, nowSupervisor), nowCore === 'unknown' ? undefined : describeStateChange('Home Assistant Core', core, nowCore)];
        for (const note of notes) if (note) board.post(note);
        supervisor = nowSupervisor;
        if (nowCore !== 'unknown') core = nowCore;
      } finally {
        busy = false;
      }
    };
    void poll();
    const supervisorTimer = setInterval(() => void poll(), options.supervisorPollMs ?? SUPERVISOR_POLL_MS);
    supervisorTimer.unref();
    timers.push(supervisorTimer);
  }
  options.signal.addEventListener('abort', () => timers.forEach((t) => clearInterval(t)), { once: true });
}
