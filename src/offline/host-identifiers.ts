// The identifiers `host logs` shows without -t: the Supervisor's default list, read from its data file
// supervisor/data/syslog-identifiers.json (loaded by supervisor/host/logs.py HostLogControl.load()).

/** SYSLOG_IDENTIFIERs of the host log, as the Supervisor filters them. */
export const HOST_LOG_IDENTIFIERS: readonly string[] = [
  'NetworkManager', 'bluetoothd', 'bthelper', 'btuart', 'containerd', 'dbus-broker', 'dbus-broker-launch', 'docker', 'docker-prepare',
  'dockerd', 'dropbear', 'fstrim', 'haos-apparmor', 'haos-config', 'haos-data-disk-detach', 'haos-expand', 'haos-overlay', 'haos-persists',
  'haos-supervisor', 'haos-swapfile', 'haos-wipe', 'haos-zram', 'hassos-apparmor', 'hassos-config', 'hassos-expand', 'hassos-overlay',
  'hassos-persists', 'hassos-supervisor', 'hassos-zram', 'kernel', 'mount', 'os-agent', 'qemu-ga', 'rauc', 'raucdb-update', 'sm-notify',
  'systemd', 'systemd-coredump', 'systemd-fsck', 'systemd-growfs', 'systemd-hostnamed', 'systemd-journal-gatewayd', 'systemd-journald',
  'systemd-logind', 'systemd-random-seed', 'systemd-resolved', 'systemd-sysctl', 'systemd-time-wait-sync', 'systemd-timesyncd',
  'systemd-tmpfiles', 'systemd-udevd', 'wpa_supplicant',
];

/** Container names (docker's journald tag `{{.Name}}`) of the services with their own log command. */
export const SERVICE_IDENTIFIERS = { core: 'homeassistant', supervisor: 'hassio_supervisor', dns: 'hassio_dns', audio: 'hassio_audio', multicast: 'hassio_multicast' } as const;

/** Services whose Supervisor log endpoint is verbose by default (supervisor/api/__init__.py: default_verbose=True). */
export const VERBOSE_BY_DEFAULT: ReadonlySet<string> = new Set(['host', 'dns', 'audio', 'multicast']);
