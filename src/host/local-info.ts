import { readFile } from 'node:fs/promises';
import type { JsonValue } from '../supervisor/api';

/** Raspberry Pi firmware's throttling flags (https://www.raspberrypi.com/documentation/computers/os.html#get_throttled). */
const THROTTLE_BITS: readonly [number, string][] = [
  [0, 'under-voltage detected'],
  [1, 'arm frequency capped'],
  [2, 'currently throttled'],
  [3, 'soft temperature limit active'],
  [16, 'under-voltage has occurred'],
  [17, 'arm frequency capping has occurred'],
  [18, 'throttling has occurred'],
  [19, 'soft temperature limit has occurred'],
];

/** Decodes the get_throttled bit mask into words (pure). */
export function describeThrottled(mask: number): string[] {
  return THROTTLE_BITS.filter(([bit]) => (mask & (1 << bit)) !== 0).map(([, text]) => text);
}

async function readThrottled(): Promise<number | undefined> {
  for (const path of ['/sys/devices/platform/soc/soc:firmware/get_throttled', '/sys/devices/platform/soc/soc:firmware/raspberrypi-hwmon/get_throttled']) {
    try {
      return Number.parseInt((await readFile(path, 'utf8')).trim(), 16);
    } catch {
      // not a Pi, or an older kernel
    }
  }
  return undefined;
}

/** `host info` without a Supervisor: the machine itself, via systeminformation (loaded only now). */
export async function readLocalHostInfo(): Promise<Record<string, JsonValue>> {
  const si = await import('systeminformation');
  const [os, cpu, mem, disks, temp, time] = await Promise.all([si.osInfo(), si.cpu(), si.mem(), si.fsSize().catch(() => []), si.cpuTemperature().catch(() => undefined), si.time()]);
  const gb = (bytes: number): number => Math.round((bytes / 1e9) * 10) / 10;
  const throttled = await readThrottled();
  return {
    source: 'this machine (no Supervisor configured)',
    hostname: os.hostname,
    operating_system: `${os.distro} ${os.release}`.trim(),
    kernel: os.kernel,
    arch: os.arch,
    cpu: `${cpu.manufacturer} ${cpu.brand}`.trim(),
    cpu_cores: cpu.cores,
    memory_total_gb: gb(mem.total),
    memory_available_gb: gb(mem.available),
    disks: disks.map((d) => ({ mount: d.mount, size_gb: gb(d.size), used_gb: gb(d.used), use_percent: Math.round(d.use) })),
    temperature_c: temp && typeof temp.main === 'number' ? temp.main : null,
    ...(throttled !== undefined ? { throttled: describeThrottled(throttled) } : {}),
    uptime_s: Math.round(time.uptime),
  };
}
