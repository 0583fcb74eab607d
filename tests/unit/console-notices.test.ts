import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNetworkChange } from '../../src/console/network-snapshot';
import { ownConsoleLogLevel, withConsoleLevel } from '../../src/console/printk-level';
import { describeStateChange } from '../../src/console/state-notices';

describe('describeNetworkChange', () => {
  it('reports a new address with the URL to open', () => {
    expect(describeNetworkChange({ eth0: { link: 'down', ipv4: [] } }, { eth0: { link: 'up', ipv4: ['192.168.1.20/24'] } }, 8123)).toEqual([
      'Network: eth0 link up, 192.168.1.20/24 (was no address). Open http://192.168.1.20:8123',
    ]);
  });
  it('reports new and vanished interfaces, and nothing when nothing changed', () => {
    const same = { eth0: { link: 'up', ipv4: ['10.0.0.2/8'] } };
    expect(describeNetworkChange(same, same, 8123)).toEqual([]);
    expect(describeNetworkChange(same, {}, 8123)).toEqual(['Network: eth0 is gone.']);
    expect(describeNetworkChange({}, { wlan0: { link: 'up', ipv4: [] } }, 8123)).toEqual(['Network: wlan0 no address.']);
  });
});

describe('describeStateChange', () => {
  it('speaks only of changes', () => {
    expect(describeStateChange('Home Assistant Core', undefined, 'running')).toBeUndefined();
    expect(describeStateChange('Home Assistant Core', 'running', 'running')).toBeUndefined();
    expect(describeStateChange('Home Assistant Core', 'stopped', 'running')).toBe('Home Assistant Core is now running (was stopped).');
  });
});

describe('console log level', () => {
  it('replaces only the console level', () => {
    expect(withConsoleLevel('4\t4\t1\t7\n', 1)).toBe('1 4 1 7');
  });
  it('takes the level and gives the previous one back, once', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'printk-')), 'printk');
    writeFileSync(file, '7 4 1 7');
    const restore = ownConsoleLogLevel(file);
    expect(readFileSync(file, 'utf8')).toBe('1 4 1 7');
    restore();
    restore();
    expect(readFileSync(file, 'utf8')).toBe('7 4 1 7');
  });
  it('changes nothing without permission', () => {
    expect(() => ownConsoleLogLevel('/nonexistent/printk')()).not.toThrow();
  });
});
