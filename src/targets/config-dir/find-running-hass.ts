import { promises as fsp } from 'node:fs';
import { join, posix } from 'node:path';
import { parseHassCmdline } from './hass-cmdline';

/** Where to look for processes; tests may point it at another tree shaped like /proc. */
export interface ProcScanOptions {
  readonly procRoot?: string;
  readonly platform?: NodeJS.Platform;
}

async function sameDir(a: string, b: { dev: number; ino: number }): Promise<boolean> {
  const st = await fsp.stat(a).catch(() => undefined);
  return st !== undefined && st.dev === b.dev && st.ino === b.ino;
}

async function processHome(procDir: string): Promise<string | undefined> {
  const environ = await fsp.readFile(join(procDir, 'environ'), 'utf8').catch(() => undefined);
  const home = environ?.split('\0').find((entry) => entry.startsWith('HOME='));
  return home?.slice('HOME='.length);
}

/**
 * Finds a running Home Assistant Core whose config folder is `dir` (Linux only; elsewhere undefined):
 * scans `/proc/<pid>/cmdline` for hass/homeassistant, resolves its `-c`/`--config` folder (relative to
 * the process's cwd, default `~/.homeassistant`) inside the process's own root (`/proc/<pid>/root`, so a
 * Core container's `/config` matches the host folder), and compares folders by device and inode.
 * Returns a human reason such as `process 321: python3 -m homeassistant --config /config`.
 */
export async function findRunningHass(dir: string, options: ProcScanOptions = {}): Promise<string | undefined> {
  if ((options.platform ?? process.platform) !== 'linux') return undefined;
  const procRoot = options.procRoot ?? '/proc';
  const target = await fsp.stat(dir).catch(() => undefined);
  if (target === undefined) return undefined;
  const entries = await fsp.readdir(procRoot).catch(() => [] as string[]);
  for (const pid of entries) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const procDir = join(procRoot, pid);
    const raw = await fsp.readFile(join(procDir, 'cmdline'), 'utf8').catch(() => undefined);
    if (raw === undefined || raw === '') continue;
    const argv = raw.replace(/\0$/, '').split('\0');
    const hass = parseHassCmdline(argv);
    if (hass === undefined) continue;
    let config = hass.configArg;
    if (config === undefined) {
      const home = await processHome(procDir);
      if (home === undefined) continue;
      config = posix.join(home, '.homeassistant');
    }
    if (!posix.isAbsolute(config)) {
      const cwd = await fsp.readlink(join(procDir, 'cwd')).catch(() => undefined);
      if (cwd === undefined) continue;
      config = posix.join(cwd, config);
    }
    const candidates = [join(procDir, 'root', config), config];
    for (const candidate of candidates) {
      if (await sameDir(candidate, target)) return `process ${pid}: ${argv.join(' ')}`;
    }
  }
  return undefined;
}
