import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

/** Interfaces that are internal plumbing, not where a person connects from. */
export const HIDDEN_INTERFACES = /^(lo|docker\d*|hassio|veth.*|br-.*)$/;

/** What the banner shows of one interface. */
export interface InterfaceState {
  readonly link: string;
  readonly ipv4: readonly string[];
}

/** Interface name → link state and IPv4 addresses (CIDR). */
export type NetworkSnapshot = Readonly<Record<string, InterfaceState>>;

function operstate(name: string): string {
  try {
    return readFileSync(`/sys/class/net/${name}/operstate`, 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/** Reads addresses and link states from the kernel now (cheap: no subprocess). */
export function readNetworkSnapshot(): NetworkSnapshot {
  const result: Record<string, InterfaceState> = {};
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (HIDDEN_INTERFACES.test(name)) continue;
    const ipv4 = (addrs ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.cidr ?? a.address).sort();
    result[name] = { link: operstate(name), ipv4 };
  }
  return result;
}

/** One line per interface whose link or addresses changed, with the URL to open (pure). */
export function describeNetworkChange(before: NetworkSnapshot, after: NetworkSnapshot, port: number): string[] {
  const lines: string[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[name];
    const now = after[name];
    if (!now) {
      lines.push(`Network: ${name} is gone.`);
      continue;
    }
    const addresses = now.ipv4.length ? now.ipv4.join(', ') : 'no address';
    if (was && was.link === now.link && was.ipv4.join() === now.ipv4.join()) continue;
    const urls = now.ipv4.map((a) => `http://${a.split('/')[0] ?? a}:${port}`);
    const link = was && was.link !== now.link ? `link ${now.link}, ` : '';
    lines.push(`Network: ${name} ${link}${addresses}${was ? ` (was ${was.ipv4.length ? was.ipv4.join(', ') : 'no address'})` : ''}.${urls.length ? ` Open ${urls.join(' or ')}` : ''}`);
  }
  return lines;
}
