import { request } from 'node:http';
import { existsSync } from 'node:fs';

/** What Docker says about one container. */
export type ContainerState = { readonly exists: false } | { readonly exists: true; readonly running: boolean };

/** How long a question to the local Docker socket may take. */
export const DOCKER_TIMEOUT_MS = 2000;

/**
 * `GET /containers/{name}/json` over Docker's unix socket (Docker Engine API, ContainerInspect:
 * 200 with `State.Running`, 404 when there is no such container). Read-only and without side effects
 * on the Supervisor. Undefined when Docker cannot be asked (no socket, refused, timeout, odd answer).
 */
export function inspectContainer(socketPath: string, name: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ContainerState | undefined> {
  if (!existsSync(socketPath)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const req = request(
      { socketPath, path: `/containers/${encodeURIComponent(name)}/json`, method: 'GET', timeout: options.timeoutMs ?? DOCKER_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 1_000_000) text += chunk;
        });
        res.on('error', () => resolve(undefined));
        res.on('end', () => resolve(readInspect(res.statusCode ?? 0, text)));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Reads an inspect answer (pure). */
export function readInspect(status: number, text: string): ContainerState | undefined {
  if (status === 404) return { exists: false };
  if (status !== 200) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    const state = typeof value === 'object' && value !== null && 'State' in value ? value.State : undefined;
    const running = typeof state === 'object' && state !== null && 'Running' in state ? state.Running : undefined;
    return typeof running === 'boolean' ? { exists: true, running } : undefined;
  } catch {
    return undefined;
  }
}
