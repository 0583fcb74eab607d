import { describe, expect, it } from 'vitest';
import { choosePowerInvocation } from '../../src/host/local-power';
import { journalctlArgs } from '../../src/host/local-logs';
import { describeThrottled } from '../../src/host/local-info';

const programs = (names: Record<string, string>) => (name: string) => names[name];

describe('choosePowerInvocation', () => {
  it('uses systemd when it runs the machine', () => {
    expect(choosePowerInvocation('reboot', { systemd: true, findProgram: programs({ systemctl: '/bin/systemctl', reboot: '/sbin/reboot' }) })).toEqual({ file: '/bin/systemctl', args: ['reboot'], via: 'systemd' });
    expect(choosePowerInvocation('shutdown', { systemd: true, findProgram: programs({ systemctl: '/bin/systemctl' }) })?.args).toEqual(['poweroff']);
  });
  it('falls back to busybox/sysvinit reboot and poweroff', () => {
    expect(choosePowerInvocation('reboot', { systemd: false, findProgram: programs({ systemctl: '/bin/systemctl', reboot: '/sbin/reboot' }) })).toMatchObject({ file: '/sbin/reboot', args: [] });
    expect(choosePowerInvocation('shutdown', { systemd: false, findProgram: programs({ poweroff: '/sbin/poweroff' }) })).toMatchObject({ file: '/sbin/poweroff' });
  });
  it('says there is no way when there is none', () => {
    expect(choosePowerInvocation('reboot', { systemd: false, findProgram: programs({}) })).toBeUndefined();
  });
});

describe('journalctlArgs', () => {
  it('maps the ha logs flags', () => {
    expect(journalctlArgs({ service: 'host', follow: true, verbose: false, lines: 5, boot: '-1', identifier: 'NetworkManager' })).toEqual(['--no-pager', '-o', 'cat', '-n', '5', '-b', '-1', '-t', 'NetworkManager', '-f']);
    expect(journalctlArgs({ service: 'host', follow: false, verbose: true })).toEqual(['--no-pager', '-o', 'short-precise', '-n', '100']);
  });
});

describe('describeThrottled', () => {
  it('decodes the firmware bit mask', () => {
    expect(describeThrottled(0x50005)).toEqual(['under-voltage detected', 'currently throttled', 'under-voltage has occurred', 'throttling has occurred']);
    expect(describeThrottled(0)).toEqual([]);
  });
});
