import { readdir, readFile, realpath } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { findMount, deviceNumber, parseMountinfo, type MountEntry } from './mountinfo';

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `major:minor` of a sysfs block device and of its partitions (`/sys/dev/block/M:m/<part>/dev`). */
async function withPartitions(device: string): Promise<string[]> {
  const found = [device];
  const base = `/sys/dev/block/${device}`;
  const children = await readdir(base).catch(() => [] as string[]);
  for (const child of children) {
    const dev = await readText(`${base}/${child}/dev`);
    if (dev !== undefined && (await readText(`${base}/${child}/partition`)) !== undefined) found.push(dev.trim());
  }
  return found;
}

/** Loop devices (with partitions) whose backing file is `file`. */
async function loopDevicesOf(file: string): Promise<string[]> {
  const found: string[] = [];
  const names = await readdir('/sys/block').catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith('loop'))) {
    const backing = (await readText(`/sys/block/${name}/loop/backing_file`))?.trim();
    const dev = (await readText(`/sys/block/${name}/dev`))?.trim();
    if (backing === file && dev !== undefined) found.push(...(await withPartitions(dev)));
  }
  return found;
}

/**
 * Where the kernel has mounted this device (or a partition of it, or a loop device over this image file),
 * from /proc/self/mountinfo; undefined when it is not mounted or the system has no such table (not Linux).
 */
export async function findKernelMount(path: string, stats: Stats): Promise<MountEntry | undefined> {
  const text = await readText('/proc/self/mountinfo');
  if (text === undefined) return undefined;
  const real = await realpath(path).catch(() => path);
  const devices = stats.isBlockDevice() ? await withPartitions(deviceNumber(stats.rdev)) : await loopDevicesOf(real);
  return findMount(parseMountinfo(text), new Set(devices), new Set(stats.isBlockDevice() ? [real] : []));
}
