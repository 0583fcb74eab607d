import { describe, expect, it } from 'vitest';
import { selectBoot, type Boot } from '../../src/journal-file/boots';
import { isJournalFileError } from '../../src/journal-file/journal-file-error';
import { parseDataPayload } from '../../src/journal-file/objects';
import { backupFileName } from '../../src/offline/backup-name';
import { configLogName, lastRecords } from '../../src/offline/config-log';

// The pure steps of the offline readers. (zstd objects come from systemd itself in the integration tests;
// systemd 252 here writes no LZ4/XZ objects, so those are built by hand from the layout in
// JOURNAL_FILE_FORMAT.md: ObjectHeader type 1 = DATA, flags 1 = XZ, 2 = LZ4; compact payload at 72.)

function dataObject(flags: number, payload: string): Buffer {
  const bytes = Buffer.alloc(72 + payload.length);
  bytes.writeUInt8(1, 0);
  bytes.writeUInt8(flags, 1);
  bytes.writeBigUInt64LE(BigInt(bytes.length), 8);
  bytes.write(payload, 72, 'latin1');
  return bytes;
}

describe('DATA objects', () => {
  it('gives an uncompressed payload as it is', () => {
    expect(parseDataPayload(dataObject(0, 'MESSAGE=hello'), true, 'f.journal')?.toString()).toBe('MESSAGE=hello');
  });

  it.each([[1, 'XZ'], [2, 'LZ4']])('refuses compression flag %i by name (%s)', (flags, name) => {
    let caught: unknown;
    try {
      parseDataPayload(dataObject(flags, 'garbage'), true, '/logs/m/system.journal');
    } catch (error) {
      caught = error;
    }
    expect(isJournalFileError(caught)).toBe(true);
    expect((caught as Error).message).toBe(`/logs/m/system.journal holds ${name}-compressed journal entries, which this reader does not decompress (only zstd)`);
  });

  it('is not fooled by another object type or a size past the bytes', () => {
    const entry = dataObject(0, 'X=1');
    entry.writeUInt8(3, 0);
    expect(parseDataPayload(entry, true, 'f')).toBeUndefined();
    const torn = dataObject(0, 'X=1');
    torn.writeBigUInt64LE(4096n, 8);
    expect(parseDataPayload(torn, true, 'f')).toBeUndefined();
  });
});

describe('boot selection (-b)', () => {
  const boots = ['a', 'b', 'c'].map((c) => ({ bootId: c.repeat(32) }) as unknown as Boot);
  it.each([['0', 'c'], ['-1', 'b'], ['-2', 'a'], ['1', 'a'], ['3', 'c'], ['bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb', 'b']])('-b %s is boot %s', (spec, id) => {
    expect((selectBoot(boots, spec) as Boot).bootId).toBe(id.repeat(32));
  });
  it.each(['-3', '4', 'ffff'])('-b %s names no boot', (spec) => {
    expect(typeof selectBoot(boots, spec)).toBe('string');
  });
});

describe('backup file names (homeassistant/components/backup/util.py suggested_filename_from_name_date)', () => {
  it.each([
    ['Automatic backup 2026.11.2', '2026-11-20T03:00:12.345678+00:00', 'Automatic_backup_2026.11.2_2026-11-20_03.00_12345678.tar'],
    ['  Before   update ', '2026-11-27T21:15:00+01:00', 'Before_update_2026-11-27_21.15_00000000.tar'],
    ['a/b: c', '2026-01-02T03:04:05.1Z', 'a_b__c_2026-01-02_03.04_05100000.tar'],
  ])('%j on %s is %s', (name, date, file) => {
    expect(backupFileName(name, date)).toBe(file);
  });
  it('gives none for a date that is not ISO 8601', () => {
    expect(backupFileName('x', 'yesterday')).toBeUndefined();
  });
});

describe('home-assistant.log records', () => {
  const log = '2026-11-29 10:00:00.000 INFO a\n2026-11-29 10:00:01.000 ERROR b\nTraceback\n  line\n2026-11-29 10:00:02.000 INFO c\n';
  it('keeps a traceback with its record and counts records, not lines', () => {
    expect(lastRecords(log, 2)).toEqual(['2026-11-29 10:00:01.000 ERROR b\nTraceback\n  line', '2026-11-29 10:00:02.000 INFO c']);
    expect(lastRecords(log, 10)).toHaveLength(3);
  });
  it('names the file of -b 0 and -1 only', () => {
    expect(configLogName(undefined)).toBe('home-assistant.log');
    expect(configLogName('-1')).toBe('home-assistant.log.1');
    expect(() => configLogName('-2')).toThrow(/names neither/);
  });
});
