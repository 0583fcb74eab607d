import { describe, it, expect } from 'vitest';
import { classifyLevel, LEVEL } from '../../src/pager/log-level';

const E = '\x1b';

describe('classifyLevel', () => {
  const table: readonly (readonly [string, string, number])[] = [
    ['HA core line', '2024-05-01 12:00:00.123 WARNING (MainThread) [homeassistant.components.zeroconf] no IPv6', LEVEL.warning],
    ['HA core error', '2024-05-01 12:00:00.123 ERROR (MainThread) [homeassistant.components.mqtt] refused', LEVEL.error],
    ['HA core info', '2024-05-01 12:00:00.123 INFO (MainThread) [homeassistant.setup] Setting up http', LEVEL.info],
    ['HA debug', '2024-05-01 12:00:00.123 DEBUG (SyncWorker_0) [x] y', LEVEL.debug],
    ['HA critical', '2024-05-01 12:00:00.123 CRITICAL (MainThread) [x] y', LEVEL.error],
    ['coloured HA line', `${E}[33m2024-05-01 12:00:00 WARNING (MainThread) [x] y${E}[0m`, LEVEL.warning],
    ['emulator core line', `${E}[31mERROR (MainThread) [homeassistant.components.mqtt] Failed${E}[0m`, LEVEL.error],
    ['supervisor line', '24-05-01 12:00:00 INFO (MainThread) [supervisor.core] Supervisor is up', LEVEL.info],
    ['level word without the thread paren', 'the ERROR count is 3', LEVEL.unknown],
    ['NetworkManager warn', "NetworkManager[512]: <warn>  [1723200000.1234] device (eth0): link timed out", LEVEL.warning],
    ['NetworkManager info', "<info>  [1723200000.1234] device (eth0): state change", LEVEL.info],
    ['syslog prefix err', '<3>kernel: EXT4-fs error', LEVEL.error],
    ['syslog prefix with facility', '<30>systemd[1]: Started x', LEVEL.info],
    ['syslog prefix warning', '<4>usb 1-1: device descriptor read error', LEVEL.warning],
    ['syslog prefix debug', '<7>x', LEVEL.debug],
    ['dmesg -x decoded', 'kern  :err   : [    1.000000] mmc0: error -110', LEVEL.error],
    ['dmesg -x warning', 'kern  :warn  : [    1.000000] x', LEVEL.warning],
    ['dmesg colour err', `${E}[32m[    1.000000] ${E}[0m${E}[33mmmc0: ${E}[0m${E}[31merror -110${E}[0m`, LEVEL.error],
    ['dmesg colour crit', `${E}[32m[    1.000000] ${E}[0m${E}[1m${E}[31mcrit${E}[0m`, LEVEL.error],
    ['dmesg colour warn (bold)', `${E}[32m[    1.000000] ${E}[0m${E}[33musb 1-1: ${E}[0m${E}[1mover-current${E}[0m`, LEVEL.warning],
    ['dmesg subsystem prefix alone is no level', `${E}[32m[    1.000000] ${E}[0m${E}[33meth0: ${E}[0mLink is Up`, LEVEL.unknown],
    ['journalctl error highlight', `${E}[0;1;31mFailed to start x.service.${E}[0m`, LEVEL.error],
    ['journalctl warning highlight', `${E}[0;1;33mx: y deprecated${E}[0m`, LEVEL.warning],
    ['journalctl notice (bold default colour)', `${E}[0;1;39mnotice${E}[0m`, LEVEL.unknown],
    ['plain journal line', 'May 01 12:00:00 homeassistant systemd[1]: Started Home Assistant Supervisor.', LEVEL.unknown],
    ['empty', '', LEVEL.unknown],
    ['binary garbage', '\u0000\ufffd\ufffd\u0007\u001b[', LEVEL.unknown],
  ];
  for (const [name, line, level] of table) {
    it(name, () => expect(classifyLevel(line)).toBe(level));
  }
});
