import { existsSync } from 'node:fs';
import { inspectContainer } from './docker';

/** Where to look for an installed Supervisor. */
export interface PresencePaths {
  /** The Supervisor's data folder on the host (/mnt/data/supervisor). */
  readonly supervisorDataDir: string;
  /** Docker's socket (/var/run/docker.sock). */
  readonly dockerSocket: string;
}

/**
 * Is a Supervisor installed on this machine, answering or not? Yes when its data folder exists or
 * Docker knows a `hassio_supervisor` container (supervisor/const.py SUPERVISOR_DOCKER_NAME). Then the
 * machine's own power path would skip the Supervisor's graceful Core shutdown and its migration guard.
 * Resolves with the evidence found, or undefined on a machine without one.
 */
export async function findInstalledSupervisor(paths: PresencePaths): Promise<string | undefined> {
  if (existsSync(paths.supervisorDataDir)) return `${paths.supervisorDataDir} exists`;
  const container = await inspectContainer(paths.dockerSocket, 'hassio_supervisor');
  if (container?.exists === true) return `Docker has the hassio_supervisor container (${container.running ? 'running' : 'not running'})`;
  return undefined;
}
