import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { HaError } from '../errors/ha-error';

/** A program to run for a power action, and how the console describes that path. */
export interface PowerInvocation {
  readonly file: string;
  readonly args: readonly string[];
  readonly via: string;
}

/** Where `reboot`/`poweroff` live on busybox and classic systems. */
const SBIN_DIRS = ['/sbin', '/usr/sbin', '/bin', '/usr/bin'];

/**
 * Chooses how to reboot or power off this machine (pure): systemd when it is PID 1, else the
 * `reboot`/`poweroff` program (busybox init or sysvinit, which end in the reboot syscall).
 */
export function choosePowerInvocation(action: 'reboot' | 'shutdown', facts: { systemd: boolean; findProgram: (name: string) => string | undefined }): PowerInvocation | undefined {
  if (facts.systemd) {
    const systemctl = facts.findProgram('systemctl');
    if (systemctl) return { file: systemctl, args: [action === 'reboot' ? 'reboot' : 'poweroff'], via: 'systemd' };
  }
  const name = action === 'reboot' ? 'reboot' : 'poweroff';
  const program = facts.findProgram(name);
  return program ? { file: program, args: [], via: `${program} (init's reboot path)` } : undefined;
}

function findProgram(name: string): string | undefined {
  for (const dir of SBIN_DIRS) {
    const path = `${dir}/${name}`;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Reboots or powers off this machine without a Supervisor; resolves with the path used. */
export async function runLocalPower(action: 'reboot' | 'shutdown'): Promise<string> {
  const invocation = choosePowerInvocation(action, { systemd: existsSync('/run/systemd/system'), findProgram });
  if (!invocation) throw new HaError(`Cannot ${action === 'reboot' ? 'reboot' : 'shut down'}: neither systemd nor a ${action === 'reboot' ? 'reboot' : 'poweroff'} program was found.`, { hint: "Use 'login' and your system's own tools." });
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(invocation.file, [...invocation.args], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (status, signal) => resolve(status ?? (signal ? 128 : 0)));
  });
  if (code !== 0) throw new HaError(`${invocation.file} ${invocation.args.join(' ')} failed with status ${code}.`, { hint: 'Are you root? The console must run as root to reboot the machine.' });
  return invocation.via;
}
