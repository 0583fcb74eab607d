import { createServer, type Server } from 'node:http';
import { rmSync } from 'node:fs';
import type { EmulatorState } from './options';

/** A stand-in for Docker's API socket on a HAOS host, answering container inspects from the emulator's state. */
export interface DockerSocket {
  readonly path: string;
  /** `GET /containers/...` requests received, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `GET /containers/{homeassistant|hassio_supervisor}/json` on a unix socket the way Docker's
 * ContainerInspect does (200 with `State.Running`/`State.Status`; 404 `No such container`), so tests
 * can check that the console learns Core's state from Docker instead of the Supervisor.
 */
export async function createDockerSocket(path: string, state: EmulatorState): Promise<DockerSocket> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    const match = /^\/(?:v[\d.]+\/)?containers\/([^/]+)\/json$/.exec(req.url ?? '');
    const running = match?.[1] === 'homeassistant' ? state.coreRunning : match?.[1] === 'hassio_supervisor' ? true : undefined;
    const body = running === undefined ? { message: `No such container: ${match?.[1] ?? ''}` } : { Name: `/${match?.[1] ?? ''}`, State: { Status: running ? 'running' : 'exited', Running: running } };
    res.writeHead(running === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  rmSync(path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
