import { cpSync, existsSync, mkdtempSync, openSync, closeSync, constants, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import type { GlobalOptions, Io } from '../commands/types';
import type { GlobalArgs } from './global-flags';

/**
 * Where the demo's assets are: beside the single executable, else the installed package's root, the nearest
 * folder above this code with a package.json (the code runs from dist/bin/ or from the bundle in dist/).
 */
function assetsRoot(): string {
  if ((require('node:sea') as typeof import('node:sea')).isSea()) return dirname(process.execPath);
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  return join(__dirname, '..', '..');
}

/** True when the kernel log device can be opened for reading (root on Linux). */
function canReadKmsg(path: string): boolean {
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm start`: the console against a built-in Supervisor emulator backed by a throw-away copy of a demo
 * config folder, so every command can be tried safely. Kernel log from /dev/kmsg when readable, else a sample.
 */
export async function runDemo(parts: { config: Config; globals: GlobalOptions; io: Io }, args: GlobalArgs): Promise<number> {
  const configDir = mkdtempSync(join(tmpdir(), 'ha-console-demo-'));
  const root = assetsRoot();
  cpSync(join(root, 'assets', 'demo-config'), configDir, { recursive: true });
  const { createEmulator } = await import('../emulator/emulator');
  const { openConfigDirTarget } = await import('../targets/config-dir/open');
  const token = randomBytes(24).toString('hex');
  const emulator = await createEmulator({ port: 0, token, auth: openConfigDirTarget(configDir) });
  const kmsgReadable = canReadKmsg(parts.config.kmsgPath);
  const kmsgSource = args.kmsg ?? (kmsgReadable ? parts.config.kmsgPath : join(root, 'assets', 'sample.kmsg'));
  const note = [
    `Demo: a Supervisor emulator at ${emulator.url} with a throw-away Home Assistant config in ${configDir}.`,
    kmsgReadable || args.kmsg ? '' : `Note: ${parts.config.kmsgPath} is not readable here (not root?), so a sample kernel log is shown.`,
    "Try: core logs -f (Ctrl-C stops), auth list, auth reset --username alice, host reboot, login, exit.",
  ].filter((l) => l !== '').join('\n');
  const { runConsole } = await import('../console/run-console');
  try {
    return await runConsole({
      parts: { ...parts, globals: { ...parts.globals, endpoint: emulator.url, token } },
      kmsgSource,
      note,
      ownLogLevel: false,
    });
  } finally {
    await emulator.close();
    rmSync(configDir, { recursive: true, force: true });
  }
}
