import { homedir } from 'node:os';
import { join } from 'node:path';

/** Every path and endpoint the program uses, read from the environment once (tests point them elsewhere). */
export interface Config {
  /** Supervisor base URL without a trailing slash, e.g. `http://supervisor`. */
  readonly supervisorEndpoint: string;
  /** Supervisor API token, if any (never printed). */
  readonly supervisorToken: string | undefined;
  /** NO_COLOR is set (https://no-color.org). */
  readonly noColor: boolean;
  /** Where the REPL keeps its history across restarts. */
  readonly historyFile: string;
  /** Home Assistant config folder on a device's host (offline reset path when Core is stopped). */
  readonly hostConfigDir: string;
  /** Kernel log device. */
  readonly kmsgPath: string;
  /** Debug mode: print stacks of unexpected errors. */
  readonly debug: boolean;
  /** The kernel's printk levels (the console owns the console log level while it runs). */
  readonly printkPath: string;
  /** Where the console keyboard layout is kept across reboots (KEYMAP=, as systemd reads it). */
  readonly vconsoleConf: string;
  /** Folders holding console keymaps (kbd and console-data). */
  readonly keymapDirs: readonly string[];
  /** How often the prompt's notices ask the Supervisor for its state (Core's comes from Docker). */
  readonly statusPollMs: number;
  /** SUPERVISOR_ENDPOINT was set (a Supervisor is meant to be used even without a token). */
  readonly endpointFromEnv: boolean;
  /** The CLI plugin's config on a HAOS host; its `access_token` is the console's token there. */
  readonly cliTokenFile: string;
  /** Where the Supervisor answers on a HAOS host (the hassio bridge), used with the token file. */
  readonly hostSupervisorEndpoint: string;
  /** The Supervisor's data folder on the host: it exists wherever a Supervisor is installed. */
  readonly supervisorDataDir: string;
  /** Docker's API socket on the host (container state without asking the Supervisor). */
  readonly dockerSocket: string;
}

/** Default Supervisor endpoint, as the real CLI uses. */
export const DEFAULT_SUPERVISOR_ENDPOINT = 'http://supervisor';

/**
 * The Supervisor's address on the hassio network (supervisor/const.py DOCKER_IPV4_NETWORK_MASK
 * 172.30.32.0/23; supervisor/docker/network.py `supervisor` = its third address, [2]).
 */
export const HOST_SUPERVISOR_ENDPOINT = 'http://172.30.32.2';

/**
 * The CLI plugin's token file as the host sees it: supervisor/plugins/const.py FILE_HASSIO_CLI =
 * /data/cli.json inside the Supervisor container, whose /data is the host's /mnt/data/supervisor.
 */
export const HOST_CLI_TOKEN_FILE = '/mnt/data/supervisor/cli.json';

/** Adds `http://` to a bare host and drops trailing slashes, as the `ha` CLI does with `--endpoint`. */
export function normalizeEndpoint(value: string): string {
  const trimmed = value.trim().replace(/\/+$/, '');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}

/** Reads the configuration from `env` (defaults for a device). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
  const stateHome = nonEmpty(env['XDG_STATE_HOME']) ?? join(nonEmpty(env['HOME']) ?? homedir(), '.local', 'state');
  return {
    supervisorEndpoint: normalizeEndpoint(nonEmpty(env['SUPERVISOR_ENDPOINT']) ?? DEFAULT_SUPERVISOR_ENDPOINT),
    // As the Go CLI (cmd/root.go:120-125): viper's AutomaticEnv with prefix SUPERVISOR finds
    // SUPERVISOR_API_TOKEN first, then the bound SUPERVISOR_TOKEN. HASSIO_TOKEN is our documented extra.
    supervisorToken: nonEmpty(env['SUPERVISOR_API_TOKEN']) ?? nonEmpty(env['SUPERVISOR_TOKEN']) ?? nonEmpty(env['HASSIO_TOKEN']),
    noColor: env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '',
    historyFile: nonEmpty(env['HA_CONSOLE_HISTORY']) ?? join(stateHome, 'ha-console', 'history'),
    hostConfigDir: nonEmpty(env['HA_CONSOLE_HOST_CONFIG_DIR']) ?? '/mnt/data/supervisor/homeassistant',
    kmsgPath: nonEmpty(env['HA_CONSOLE_KMSG']) ?? '/dev/kmsg',
    debug: nonEmpty(env['HA_CONSOLE_DEBUG']) !== undefined,
    printkPath: nonEmpty(env['HA_CONSOLE_PRINTK']) ?? '/proc/sys/kernel/printk',
    vconsoleConf: nonEmpty(env['HA_CONSOLE_VCONSOLE_CONF']) ?? '/etc/vconsole.conf',
    keymapDirs: (nonEmpty(env['HA_CONSOLE_KEYMAP_DIRS']) ?? '/usr/share/keymaps:/usr/share/kbd/keymaps:/lib/kbd/keymaps').split(':').filter((d) => d !== ''),
    statusPollMs: Math.max(200, Number.parseInt(env['HA_CONSOLE_STATUS_POLL_MS'] ?? '', 10) || 30_000),
    endpointFromEnv: nonEmpty(env['SUPERVISOR_ENDPOINT']) !== undefined,
    cliTokenFile: nonEmpty(env['HA_CONSOLE_CLI_TOKEN_FILE']) ?? HOST_CLI_TOKEN_FILE,
    hostSupervisorEndpoint: normalizeEndpoint(nonEmpty(env['HA_CONSOLE_HOST_SUPERVISOR']) ?? HOST_SUPERVISOR_ENDPOINT),
    supervisorDataDir: nonEmpty(env['HA_CONSOLE_SUPERVISOR_DATA']) ?? '/mnt/data/supervisor',
    dockerSocket: nonEmpty(env['HA_CONSOLE_DOCKER_SOCKET']) ?? '/var/run/docker.sock',
  };
}
