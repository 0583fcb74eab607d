import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { basename } from 'node:path';

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

/** Runs a root login shell on this terminal (argv0 `-bash`, as login(1) does) and resolves with its exit status. */
export function runLoginShell(shell: string | undefined = findLoginShell()): Promise<number> {
  if (shell === undefined) return Promise.reject(new Error('no shell found (tried /bin/bash and /bin/sh)'));
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['-l'], {
      stdio: 'inherit',
      argv0: `-${basename(shell)}`,
      env: { ...process.env, SHELL: shell },
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 0)));
  });
}
