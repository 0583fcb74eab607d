import type { LogService } from '../supervisor/api';
import type { TargetScope } from '../targets/types';

/** One journal entry before formatting. */
export interface LogLine {
  readonly identifier: string;
  readonly pid: number;
  readonly message: string;
}

/** Makes entry number `index` of a service's log for a boot (0 = current, -1 = previous...). Deterministic. */
export type LogGenerator = (service: LogService, index: number, boot: number) => LogLine;

/** Knobs of the emulator; all optional. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) = any free port. */
  readonly port?: number;
  /** API token clients must send; default a random one (read it from `emulator.token`). */
  readonly token?: string;
  /** Where `/auth/list` and `/auth/reset` act (a config folder, or a test's in-memory target). */
  readonly auth?: TargetScope;
  /** Hostname shown in info and verbose logs; default this machine's. */
  readonly hostname?: string;
  /** Log contents; default ./log-generator. */
  readonly logGenerator?: LogGenerator;
  /** Core container running at start (default true). */
  readonly coreRunning?: boolean;
  /** Supervisor state at start: 'setup' makes every call fail as "not ready" (default 'running'). */
  readonly state?: SupervisorState;
  /** Follow streams end after this many entries in total (history included); default never. */
  readonly followEndAfter?: number;
  /** History entries per service and boot (default 200). */
  readonly historyLines?: Partial<Record<LogService, number>>;
  /** Delay between new entries of a follow stream; 0 = as fast as the client reads (default 1000). */
  readonly followIntervalMs?: number;
  /** `/host/reboot|shutdown`: reply then close (default), or drop the connection without a reply. */
  readonly power?: 'reply' | 'drop';
  /** Output of a failing `POST /core/check` (undefined: the configuration is valid). */
  readonly checkLog?: string;
  /** Told about every request as `METHOD /path` (the emulator process prints them with --log-requests). */
  readonly onRequest?: (line: string) => void;
  /** Address to listen on (default 127.0.0.1; tests use 172.30.32.2 inside their own network namespace). */
  readonly host?: string;
}

/** Supervisor states the emulator knows. */
export type SupervisorState = 'running' | 'setup';

/** Live, mutable state: tests read and change it between calls. */
export interface EmulatorState {
  /** The token it accepts; a test changes it as the CLI plugin's restart renews it. */
  token: string;
  coreRunning: boolean;
  state: SupervisorState;
  power: 'reply' | 'drop';
  /** Power actions received, in order (`reboot`, `shutdown`). */
  readonly powerRequests: string[];
  /** Times `DELETE /auth/cache` was called. */
  authCacheClears: number;
  /** Output of a failing `POST /core/check`; undefined = the configuration is valid. */
  checkLog: string | undefined;
  /** Every request as `METHOD /path` (query left out), in order: tests count what clients ask. */
  readonly requests: string[];
}

/** Everything a route handler needs. */
export interface EmulatorContext {
  readonly hostname: string;
  readonly state: EmulatorState;
  readonly auth: TargetScope | undefined;
  readonly generator: LogGenerator;
  readonly historyLines: (service: LogService) => number;
  readonly followEndAfter: number | undefined;
  readonly followIntervalMs: number;
  /** Boot ids, index 0 = current boot, 1 = previous... */
  readonly bootIds: readonly string[];
  /** Time the emulated current boot's history ends (ms). */
  readonly startedAtMs: number;
}

/** Default history length per service and boot. */
export const DEFAULT_HISTORY_LINES = 200;
/** Default delay between new follow entries. */
export const DEFAULT_FOLLOW_INTERVAL_MS = 1000;
