import { hostname, networkInterfaces } from 'node:os';
import type { JsonValue, SupervisorClient } from '../supervisor/api';
import { HIDDEN_INTERFACES } from './network-snapshot';

/** How long the banner waits for the Supervisor before showing what it has. */
export const BANNER_SUPERVISOR_TIMEOUT_MS = 1500;


/** What the banner shows. */
export interface BannerInfo {
  hostname: string;
  interfaces: { name: string; ipv4: string[]; ipv6: string[] }[];
  osVersion: string | null;
  coreVersion: string | null;
  supervisor: string;
  /** URLs to open: each address first (always works), then the mDNS name of the host. */
  urls: string[];
  port: number;
}

function text(value: JsonValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Reads addresses from the kernel and versions from the Supervisor (never waiting more than a moment). */
export async function collectBanner(client: SupervisorClient | undefined, signal: AbortSignal): Promise<BannerInfo> {
  const timeout = AbortSignal.any([signal, AbortSignal.timeout(BANNER_SUPERVISOR_TIMEOUT_MS)]);
  const options = { signal: timeout, timeoutMs: BANNER_SUPERVISOR_TIMEOUT_MS };
  const missing = Promise.reject(new Error('no Supervisor configured'));
  missing.catch(() => undefined);
  const [info, core] = await Promise.allSettled(client ? [client.info(options), client.coreInfo(options)] : [missing, missing]);
  const interfaces = Object.entries(networkInterfaces())
    .filter(([name]) => !HIDDEN_INTERFACES.test(name))
    .map(([name, addrs]) => ({
      name,
      ipv4: (addrs ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.cidr ?? a.address),
      ipv6: (addrs ?? []).filter((a) => a.family === 'IPv6' && !a.internal).map((a) => a.cidr ?? a.address),
    }));
  const data = info.status === 'fulfilled' ? info.value.data : undefined;
  const coreData = core.status === 'fulfilled' ? core.value.data : undefined;
  const host = text(data?.['hostname']) ?? hostname();
  const port = typeof coreData?.['port'] === 'number' ? coreData['port'] : 8123;
  const scheme = coreData?.['ssl'] === true ? 'https' : 'http';
  const suffix = (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443) ? '' : `:${port}`;
  const addresses = interfaces.flatMap((i) => i.ipv4.map((a) => a.split('/')[0] as string));
  const supervisor = !client ? 'none (plain Linux host; host commands act on this machine)' : info.status === 'fulfilled' ? (text(data?.['state']) ?? 'running') : describeFailure(info.reason);
  return {
    hostname: host,
    interfaces,
    osVersion: text(data?.['hassos']) ?? text(data?.['operating_system']),
    coreVersion: text(data?.['homeassistant']),
    supervisor,
    urls: [...addresses.map((a) => `${scheme}://${a}${suffix}`), `${scheme}://${host}.local${suffix}`],
    port,
  };
}

function describeFailure(reason: unknown): string {
  const message = reason instanceof Error ? reason.message : String(reason);
  return `not available (${message.length > 100 ? `${message.slice(0, 97)}...` : message})`;
}

/** Formats the banner (pure); labels padded like Home Assistant's own banner. */
export function formatBanner(info: BannerInfo, options: { color: boolean }): string {
  const bold = (s: string): string => (options.color ? `\x1b[1m${s}\x1b[0m` : s);
  const label = (s: string): string => `  ${s.padEnd(25)}`;
  const lines = [bold('Welcome to the Home Assistant command line.'), '', 'System information:', `${label('Host name:')}${info.hostname}`];
  for (const i of info.interfaces) {
    lines.push(`${label(`IPv4 addresses for ${i.name}:`)}${i.ipv4.length ? i.ipv4.join(', ') : '(No address)'}`);
    if (i.ipv6.length) lines.push(`${label(`IPv6 addresses for ${i.name}:`)}${i.ipv6.join(', ')}`);
  }
  lines.push(`${label('OS Version:')}${info.osVersion ?? 'unknown'}`);
  lines.push(`${label('Home Assistant Core:')}${info.coreVersion ?? 'unknown'}`);
  lines.push(`${label('Supervisor:')}${info.supervisor}`);
  lines.push('');
  lines.push(`${label('Home Assistant URL:')}${info.urls[0] ?? ''}`);
  for (const url of info.urls.slice(1)) lines.push(`${label('')}${url}`);
  lines.push('', "Type 'help' for commands, 'login' for a root shell.");
  return lines.join('\n');
}
