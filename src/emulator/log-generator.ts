import type { LogService } from '../supervisor/api';
import type { LogGenerator, LogLine } from './options';

/** Journal identifiers of the service logs (core's journal identifier is `homeassistant`). */
export const SERVICE_IDENTIFIERS: Readonly<Record<Exclude<LogService, 'host'>, string>> = {
  core: 'homeassistant',
  supervisor: 'hassio_supervisor',
  dns: 'hassio_dns',
  audio: 'hassio_audio',
  multicast: 'hassio_multicast',
};

/** Identifiers the emulated host journal mixes. */
export const HOST_IDENTIFIERS: readonly string[] = ['kernel', 'systemd', 'NetworkManager', 'dropbear', 'hassos-supervisor', 'systemd-timesyncd'];

const CORE_MESSAGES = [
  ['INFO', 'homeassistant.setup', 'Setting up http'],
  ['INFO', 'homeassistant.core', 'Timer:starting'],
  ['WARNING', 'homeassistant.components.zeroconf', 'Network interface eth0 has no IPv6 address'],
  ['INFO', 'homeassistant.components.recorder', 'Purging events older than 10 days'],
  ['ERROR', 'homeassistant.components.mqtt', 'Failed to connect to MQTT server: [Errno 111] Connection refused'],
] as const;

const COLOURS: Readonly<Record<string, string>> = { WARNING: '\u001b[33m', ERROR: '\u001b[31m' };

const HOST_MESSAGES = [
  'eth0: Link is Up - 1Gbps/Full - flow control rx/tx',
  'Started Home Assistant Supervisor.',
  "<info>  [1723200000.1234] device (eth0): state change: ip-config -> ip-check (reason 'none')",
  'Child connection from 192.168.1.20:52044',
  'Starting hassos-supervisor.service...',
  'Synchronized to time server 162.159.200.1:123 (time.cloudflare.com).',
];

/** The default, deterministic log contents (Home Assistant style; core lines carry ANSI colours). */
export const defaultLogGenerator: LogGenerator = (service: LogService, index: number, boot: number): LogLine => {
  if (service === 'host') {
    const slot = index % HOST_IDENTIFIERS.length;
    return { identifier: HOST_IDENTIFIERS[slot] ?? 'kernel', pid: 100 + slot, message: `${HOST_MESSAGES[slot] ?? ''} (#${index}, boot ${boot})` };
  }
  if (service === 'core') {
    const [level, logger, text] = CORE_MESSAGES[index % CORE_MESSAGES.length] ?? CORE_MESSAGES[0];
    const colour = COLOURS[level];
    const line = `${level} (MainThread) [${logger}] ${text} (#${index})`;
    return { identifier: SERVICE_IDENTIFIERS.core, pid: 64, message: colour === undefined ? line : `${colour}${line}\u001b[0m` };
  }
  return { identifier: SERVICE_IDENTIFIERS[service], pid: 80, message: `${service} message #${index} (boot ${boot})` };
};
