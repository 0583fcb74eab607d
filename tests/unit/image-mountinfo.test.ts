import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceNumber, findMount, parseMountinfo } from '../../src/targets/image/mountinfo';

const SAMPLE = [
  '22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw',
  '95 22 179:8 / /mnt/my\\040data rw,relatime shared:40 - ext4 /dev/mmcblk0p8 rw',
  '96 22 0:45 / /proc rw - proc proc rw',
  'garbage line',
].join('\n');

describe('mountinfo', () => {
  it('parses device numbers, mount points (with escapes) and sources', () => {
    const entries = parseMountinfo(SAMPLE);
    expect(entries).toHaveLength(3);
    expect(entries[1]).toEqual({ device: '179:8', mountPoint: '/mnt/my data', source: '/dev/mmcblk0p8' });
  });

  it('finds a mounted partition by device number or by source path', () => {
    const entries = parseMountinfo(SAMPLE);
    expect(findMount(entries, new Set(['179:0', '179:8']), new Set())?.mountPoint).toBe('/mnt/my data');
    expect(findMount(entries, new Set(), new Set(['/dev/sda2']))?.mountPoint).toBe('/');
    expect(findMount(entries, new Set(['8:16', '8:17']), new Set(['/dev/sdb']))).toBeUndefined();
  });

  it('decodes Linux st_rdev into major:minor', () => {
    expect(deviceNumber(8 * 256 + 17)).toBe('8:17');
    expect(deviceNumber(179 * 256 + 8)).toBe('179:8');
    expect(deviceNumber((259 << 8) | (300 & 0xff) | ((300 & ~0xff) << 12))).toBe('259:300');
  });
});

describe('recovery code loads no native addon', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  it('no import of node-pty or serialport under src/targets or src/storage', () => {
    const root = join(__dirname, '..', '..', 'src');
    const sources = [...files(join(root, 'targets')), ...files(join(root, 'storage'))].filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) expect(readFileSync(file, 'utf8'), file).not.toMatch(/from ['"](node-pty|@lydell\/node-pty|serialport|@serialport\/)|require\(['"](node-pty|serialport)/);
  });
});
