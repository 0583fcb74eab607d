import type { SupervisorClient } from '../supervisor/api';
import { describeNetworkChange, readNetworkSnapshot } from './network-snapshot';
import type { NoticeBoard } from './notice-board';

/** How often the console looks at the network (read from the kernel: cheap). */
export const NETWORK_POLL_MS = 2000;
/** How often it asks the Supervisor for its own state (`GET /info`): two requests a minute. */
export const SUPERVISOR_POLL_MS = 30_000;
/** How often it asks Docker on the host for Core's state (a local socket: the Supervisor is not asked). */
export const CORE_POLL_MS = 10_000;

/** Runs `tick` every `ms` until the returned function is called (injected so tests drive time themselves). */
export type Every = (ms: number, tick: () => Promise<void>) => () => void;

/** The default clock: an unref'd interval (timers never keep the process alive). */
export const realEvery: Every = (ms, tick) => {
  const timer = setInterval(() => void tick(), ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** Describes a change of the Supervisor's or Core's state (pure). */
export function describeStateChange(what: string, before: string | undefined, now: string): string | undefined {
  if (before === undefined || before === now) return undefined;
  return `${what} is now ${now} (was ${before}).`;
}

/** Options of watchStateNotices. */
export interface StateNoticeOptions {
  readonly client: SupervisorClient | undefined;
  readonly signal: AbortSignal;
  /** Core's port, for the URL in network notices. */
  readonly port: number;
  readonly supervisorPollMs?: number;
  readonly every?: Every;
}

/**
 * Keeps the person up to date at the prompt: addresses and link state as the network changes, the
 * Supervisor's state (`GET /info`, every SUPERVISOR_POLL_MS) and Core's state as they change.
 * Core's state comes from Docker's socket on the host only: the Supervisor is never polled for it,
 * since `/core/stats` with Core stopped makes it log a traceback and an error report every time
 * (supervisor/api/utils.py:118-122) and `/core/info` has no state. Without Docker, Core is not watched.
 * `ready` settles once the first answers are in (tests drive the clock from there).
 */
export function watchStateNotices(board: NoticeBoard, options: StateNoticeOptions): { readonly ready: Promise<void> } {
  const every = options.every ?? realEvery;
  const first: Promise<void>[] = [];
  let network = readNetworkSnapshot();
  const stops = [
    every(NETWORK_POLL_MS, async () => {
      const now = readNetworkSnapshot();
      for (const line of describeNetworkChange(network, now, options.port)) board.post(line);
      network = now;
    }),
  ];
  const client = options.client;
  if (client) {
    const supervisorMs = options.supervisorPollMs ?? SUPERVISOR_POLL_MS;
    stops.push(watchOne(board, 'The Supervisor', supervisorMs, every, () => supervisorState(client, options.signal), first));
    const dockerSocket = client.dockerSocket;
    if (dockerSocket !== undefined) {
      stops.push(watchOne(board, 'Home Assistant Core', Math.min(CORE_POLL_MS, supervisorMs), every, async () => (await import('../supervisor/core-state')).coreStateFromDocker(dockerSocket, options.signal), first));
    }
  }
  options.signal.addEventListener('abort', () => stops.forEach((stop) => stop()), { once: true });
  return { ready: Promise.all(first).then(() => undefined) };
}

/** Asks once now (its promise goes into `first`) and then every `ms`; posts a notice when the answer changes (undefined = cannot tell). */
function watchOne(board: NoticeBoard, what: string, ms: number, every: Every, ask: () => Promise<string | undefined>, first: Promise<void>[]): () => void {
  let last: string | undefined;
  let busy = false;
  const poll = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const now = await ask();
      if (now === undefined) return;
      const note = describeStateChange(what, last, now);
      if (note) board.post(note);
      last = now;
    } finally {
      busy = false;
    }
  };
  first.push(poll());
  return every(ms, poll);
}

/** The Supervisor's state from `GET /info` ('not reachable' when it does not answer). */
async function supervisorState(client: SupervisorClient, signal: AbortSignal): Promise<string> {
  return client.info({ signal, timeoutMs: 3000 }).then(
    (r) => (typeof r.data['state'] === 'string' ? r.data['state'] : 'running'),
    () => 'not reachable',
  );
}
