import { networkInterfaces, release, uptime } from 'node:os';
import { statfsSync } from 'node:fs';
import type { JsonValue } from '../supervisor/api';
import type { EmulatorContext } from './options';

type JsonObject = { [key: string]: JsonValue };

const VERSIONS = { supervisor: '2026.08.1', core: '2026.8.2', os: '16.1', docker: '28.3.3', dns: '2026.06.0' };
const ARCH = process.arch === 'arm64' ? 'aarch64' : 'amd64';
const MACHINE = process.arch === 'arm64' ? 'raspberrypi4-64' : 'generic-x86-64';
const TIMEZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** `GET /info`. */
export function systemInfo(context: EmulatorContext): JsonObject {
  return {
    supervisor: VERSIONS.supervisor, homeassistant: VERSIONS.core, hassos: VERSIONS.os, docker: VERSIONS.docker,
    hostname: context.hostname, operating_system: `Home Assistant OS ${VERSIONS.os}`, features: ['reboot', 'shutdown', 'services', 'network', 'hostname', 'timedate', 'os', 'journal'],
    machine: MACHINE, arch: ARCH, state: context.state.state, supported_arch: [ARCH], supported: true, channel: 'stable', logging: 'info', timezone: TIMEZONE,
  };
}

/** `GET /host/info` (disk figures of this machine's root file system, in GB). */
export function hostInfo(context: EmulatorContext): JsonObject {
  const gb = (bytes: number): number => Math.round((bytes / 1e9) * 10) / 10;
  const disk = statfsSync('/');
  const total = disk.blocks * disk.bsize;
  const free = disk.bavail * disk.bsize;
  return {
    agent_version: '1.7.2', apparmor_version: '3.1.7', chassis: 'embedded', virtualization: '', cpe: `cpe:2.3:o:home-assistant:haos:${VERSIONS.os}:*:production:*:*:*:${MACHINE}:*`,
    deployment: 'production', disk_free: gb(free), disk_total: gb(total), disk_used: gb(total - free), disk_life_time: null,
    features: ['reboot', 'shutdown', 'services', 'network', 'hostname', 'timedate', 'os', 'journal'], hostname: context.hostname, llmnr_hostname: context.hostname,
    kernel: release(), operating_system: `Home Assistant OS ${VERSIONS.os}`, timezone: TIMEZONE, dt_utc: new Date().toISOString(), dt_synchronized: true,
    use_ntp: true, startup_time: 4.2, boot_timestamp: Math.round((Date.now() - uptime() * 1000) * 1000), broadcast_llmnr: true, broadcast_mdns: true,
  };
}

/** `GET /core/info`. */
export function coreInfo(): JsonObject {
  return {
    version: VERSIONS.core, version_latest: VERSIONS.core, update_available: false, machine: MACHINE, ip_address: '172.30.32.1', arch: ARCH,
    image: `ghcr.io/home-assistant/${MACHINE}-homeassistant`, boot: true, port: 8123, ssl: false, watchdog: true, audio_input: null, audio_output: null,
    backups_exclude_database: false, duplicate_log_file: false,
  };
}

/** `GET /core/stats` while Core runs. */
export function coreStats(): JsonObject {
  return { cpu_percent: 3.1, memory_usage: 412_000_000, memory_limit: 4_000_000_000, memory_percent: 10.3, network_rx: 1_200_000, network_tx: 800_000, blk_read: 0, blk_write: 0 };
}

/** `GET /supervisor/info`. */
export function supervisorInfo(): JsonObject {
  return {
    version: VERSIONS.supervisor, version_latest: VERSIONS.supervisor, update_available: false, channel: 'stable', arch: ARCH, supported: true, healthy: true,
    ip_address: '172.30.32.2', timezone: TIMEZONE, logging: 'info', debug: false, debug_block: false, diagnostics: null, auto_update: true, country: null, wait_boot: 5, addons: [],
  };
}

/** `GET /dns/info`. */
export function dnsInfo(): JsonObject {
  return { version: VERSIONS.dns, version_latest: VERSIONS.dns, update_available: false, host: '172.30.32.3', servers: [], locals: ['dns://192.168.1.1'], mdns: true, llmnr: true, fallback: true };
}

/** `GET /network/info` from this machine's interfaces (loopback only when there is nothing else). */
export function networkInfo(): JsonObject {
  const all = Object.entries(networkInterfaces());
  const external = all.filter(([, addresses]) => addresses?.some((a) => !a.internal) === true);
  const chosen = external.length > 0 ? external : all;
  const interfaces: JsonValue[] = chosen.map(([name, addresses = []], index) => {
    const v4 = addresses.filter((a) => a.family === 'IPv4').map((a) => a.cidr ?? a.address);
    const v6 = addresses.filter((a) => a.family === 'IPv6').map((a) => a.cidr ?? a.address);
    return {
      interface: name, type: name.startsWith('wl') ? 'wireless' : 'ethernet', enabled: true, connected: addresses.length > 0, primary: index === 0,
      mac: addresses[0]?.mac ?? '00:00:00:00:00:00',
      ipv4: v4.length === 0 ? null : { method: 'auto', address: v4, nameservers: [], gateway: null, ready: true },
      ipv6: v6.length === 0 ? null : { method: 'auto', address: v6, nameservers: [], gateway: null, ready: true },
      wifi: null, vlan: null,
    };
  });
  return { interfaces, docker: { interface: 'hassio', address: '172.30.32.0/23', gateway: '172.30.32.1', dns: '172.30.32.3' }, host_internet: true, supervisor_internet: true };
}

/** `GET /supervisor/stats` and `/dns/stats`: container figures (supervisor/api/supervisor.py:241-250, api/dns.py:84-93). */
export function containerStats(memoryUsage: number): JsonObject {
  return { cpu_percent: 0.4, memory_usage: memoryUsage, memory_limit: 4_000_000_000, memory_percent: Math.round((memoryUsage / 4e9) * 1000) / 10, network_rx: 0, network_tx: 0, blk_read: 0, blk_write: 0 };
}

/**
 * `GET /network/interface/{name}/info`: one interface of /network/info; `default` is the primary one
 * (supervisor/api/network.py:192-206). Undefined when there is none of that name.
 */
export function interfaceInfo(name: string): JsonValue | undefined {
  const list = networkInfo()['interfaces'];
  const interfaces = Array.isArray(list) ? list : [];
  const wanted = name.toLowerCase() === 'default' ? (i: { [key: string]: JsonValue }) => i['primary'] === true : (i: { [key: string]: JsonValue }) => i['interface'] === name;
  return interfaces.find((i): i is { [key: string]: JsonValue } => typeof i === 'object' && i !== null && !Array.isArray(i) && wanted(i));
}
