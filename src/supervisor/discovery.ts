import type { Config } from '../config';
import { readCliToken } from './token-file';

/** Where and as whom the console talks to the Supervisor, and how that was found. */
export interface SupervisorTarget {
  readonly endpoint: string;
  readonly token: string | undefined;
  /** `given`: --endpoint or SUPERVISOR_ENDPOINT; `host`: the CLI plugin's token file on a HAOS host; `default`: http://supervisor. */
  readonly source: 'given' | 'host' | 'default';
  /** Reads the token file again after a 401/403 (the plugin renews its token when it restarts); undefined when the token is not the file's. */
  readonly reloadToken: (() => string | undefined) | undefined;
  /** A Supervisor is meant to be used (otherwise, on a plain Linux machine, host commands act locally). */
  readonly configured: boolean;
}

/** What the command line and the environment gave (`endpoint` only when given explicitly). */
export interface GivenSupervisor {
  readonly endpoint: string | undefined;
  readonly token: string | undefined;
}

/**
 * Finds the Supervisor: first what was given (--endpoint / SUPERVISOR_ENDPOINT, --api-token /
 * SUPERVISOR_API_TOKEN / SUPERVISOR_TOKEN), then, on a HAOS host where nothing is exported, the CLI
 * plugin's `access_token` with the Supervisor's bridge address, then `http://supervisor` (inside a
 * container, where that name resolves). The token file is read once here, and again only after a refusal (401/403).
 */
export function discoverSupervisor(config: Config, given: GivenSupervisor, readToken: (path: string) => string | undefined = readCliToken): SupervisorTarget {
  const fromFile = (): string | undefined => readToken(config.cliTokenFile);
  if (given.endpoint !== undefined) {
    // The plugin's token goes only to the Supervisor's own address, never to an endpoint someone typed.
    const useFile = given.token === undefined && given.endpoint === config.hostSupervisorEndpoint;
    return { endpoint: given.endpoint, token: given.token ?? (useFile ? fromFile() : undefined), source: 'given', reloadToken: useFile ? fromFile : undefined, configured: true };
  }
  const fileToken = fromFile();
  if (fileToken !== undefined) {
    return {
      endpoint: config.hostSupervisorEndpoint,
      token: given.token ?? fileToken,
      source: 'host',
      reloadToken: given.token === undefined ? fromFile : undefined,
      configured: true,
    };
  }
  return { endpoint: config.supervisorEndpoint, token: given.token, source: 'default', reloadToken: undefined, configured: given.token !== undefined };
}
