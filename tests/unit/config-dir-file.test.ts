import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFileError, sniffDiskImage, SNIFF_BYTES } from '../../src/targets/config-dir/config-file-error';
import { openConfigDirTarget } from '../../src/targets/config-dir/open';
import { isUsageError } from '../../src/errors/usage-error';

// `--config FILE`: the Go CLI's --config is a settings file; ours is a config folder. Say so, and
// recognise a disk image from its first bytes.

/** A buffer of `size` zero bytes with `bytes` written at `offset`. */
function bytesAt(size: number, ...writes: [number, number[] | string][]): Buffer {
  const buffer = Buffer.alloc(size);
  for (const [offset, bytes] of writes) (typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes)).copy(buffer, offset);
  return buffer;
}

describe('sniffDiskImage', () => {
  it.each([
    ['a GPT disk (protective MBR too)', bytesAt(SNIFF_BYTES, [510, [0x55, 0xaa]], [512, 'EFI PART']), 'GPT partition table'],
    ['an MBR disk', bytesAt(SNIFF_BYTES, [510, [0x55, 0xaa]]), 'MBR partition table'],
    ['a bare ext4 filesystem', bytesAt(SNIFF_BYTES, [1080, [0x53, 0xef]]), 'ext2/3/4 filesystem'],
    ['zeros', bytesAt(SNIFF_BYTES), undefined],
    ['a settings file', Buffer.from('endpoint: supervisor\napi-token: abc\n'), undefined],
    ['a short file ending in the MBR signature bytes', bytesAt(511, [510, [0x55]]), undefined],
    ['the ext magic byte-swapped', bytesAt(SNIFF_BYTES, [1080, [0xef, 0x53]]), undefined],
  ])('%s', (_name, head, expected) => {
    expect(sniffDiskImage(head)).toBe(expected);
  });
});

describe('configFileError', () => {
  it('points a disk image at --image', () => {
    const error = configFileError('card.img', 'GPT partition table');
    expect(error.message).toBe('--config names a Home Assistant config folder (as hass --config does), and card.img is a file that looks like a disk image (GPT partition table).');
    expect(error.hint).toBe('For an SD card, disk or image, use --image card.img');
  });
  it('says a settings file is not what --config takes', () => {
    const error = configFileError('/root/.homeassistant.yaml', undefined);
    expect(error.message).toBe('--config names a Home Assistant config folder (as hass --config does), and /root/.homeassistant.yaml is a file.');
    expect(error.hint).toMatch(/not the ha CLI's settings file \(~\/\.homeassistant\.yaml\).*folder that holds \.storage/);
  });
  it('names a block device', () => {
    expect(configFileError('/dev/sdb', 'block device').message).toMatch(/\/dev\/sdb is a block device\.$/);
  });
});

describe('openConfigDirTarget on a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-config-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['card.img', bytesAt(1 << 20, [510, [0x55, 0xaa]], [512, 'EFI PART']), /looks like a disk image \(GPT partition table\)/, /--image .*card\.img$/],
    ['.homeassistant.yaml', Buffer.from('endpoint: supervisor\n'), /\.homeassistant\.yaml is a file\.$/, /settings file/],
  ])('%s: a usage error, the file untouched, the task never run', async (name, content, message, hint) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    const before = statSync(file);
    let ran = false;
    const caught = await openConfigDirTarget(file, { isRunning: async () => undefined })(async () => {
      ran = true;
    }).catch((error: unknown) => error);
    expect(isUsageError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
    expect((caught as { hint: string }).hint).toMatch(hint);
    expect(ran).toBe(false);
    expect(readFileSync(file)).toEqual(content);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
  });
});
