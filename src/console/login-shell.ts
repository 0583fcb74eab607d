import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * `setsid -c` (util-linux `--ctty`, also busybox) runs the shell in a new session with the line as its controlling
 * terminal, as agetty/login do: job control and Ctrl-C work there. Node's children are no process-group leaders,
 * so setsid does not fork and its exit status is the shell's.
 */
export const SETSID_PATHS: readonly string[] = ['/usr/bin/setsid', '/bin/setsid', '/usr/sbin/setsid', '/sbin/setsid'];

/** Shells tried for `login`, in order. Never `$SHELL`: on the appliance that is this console itself. */
export const LOGIN_SHELLS: readonly string[] = ['/bin/bash', '/usr/bin/bash', '/bin/sh'];

/** The first executable shell from `candidates` (pure apart from the access check). */
export function findLoginShell(candidates: readonly string[] = LOGIN_SHELLS, isExecutable: (path: string) => boolean = canExecute): string | undefined {
  return candidates.find((path) => isExecutable(path));
}

function canExecute(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * On a serial port the console keeps raw mode; a shell needs the usual line settings (echo, CR/LF),
 * so it runs between `stty sane` and the restore of the console's settings.
 */
const ON_DEVICE_SCRIPT = 'saved=$(stty -g); stty sane; "$0" -l; status=$?; stty "$saved"; exit $status';

/**
 * Runs a root login shell (argv0 `-bash`, as login(1) does) on this terminal, or on `device` (the serial
 * port the console runs on), and resolves with its exit status.
 */
export function runLoginShell(shell: string | undefined = findLoginShell(), device?: string): Promise<number> {
  if (shell === undefined) return Promise.reject(new Error('no shell found (tried /bin/bash and /bin/sh)'));
  // O_NOCTTY: the line must not become the console's controlling terminal; the shell's session takes it.
  const fd = device === undefined ? undefined : openSync(device, constants.O_RDWR | constants.O_NOCTTY);
  const setsid = findLoginShell(SETSID_PATHS);
  return new Promise<number>((resolve, reject) => {
    const env = { ...process.env, SHELL: shell };
    const onDevice = ['/bin/sh', '-c', ON_DEVICE_SCRIPT, shell];
    const child =
      fd === undefined
        ? spawn(shell, ['-l'], { stdio: 'inherit', argv0: `-${basename(shell)}`, env })
        : setsid !== undefined
          ? spawn(setsid, ['-c', ...onDevice], { stdio: [fd, fd, fd], env })
          : spawn(onDevice[0] as string, onDevice.slice(1), { stdio: [fd, fd, fd], env });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 0)));
  }).finally(() => {
    if (fd !== undefined) closeSync(fd);
  });
}
