import { describe, expect, it } from 'vitest';
import { parseKmsgRecord } from '../../src/kmsg/parse';
import { parseKmsgLineBytes, type KmsgLineFields } from '../../src/kmsg/parse-bytes';
import { KMSG_MAX_LINE_BYTES, KmsgSplitter } from '../../src/kmsg/split';

const valid: Array<[string, string, { level: number; facility: number; seq: number; usecMonotonic: number; text: string }]> = [
  ['plain kernel record', '6,339,5140900,-;NET: Registered protocol family 10', { level: 6, facility: 0, seq: 339, usecMonotonic: 5140900, text: 'NET: Registered protocol family 10' }],
  ['user facility (written to /dev/kmsg)', '14,1,2,-;hello', { level: 6, facility: 1, seq: 1, usecMonotonic: 2, text: 'hello' }],
  ['error level', '3,0,0,-;boom', { level: 3, facility: 0, seq: 0, usecMonotonic: 0, text: 'boom' }],
  ['continuation flag and caller field', '4,12,34,c,caller=T1;cont', { level: 4, facility: 0, seq: 12, usecMonotonic: 34, text: 'cont' }],
  ['no flags field', '5,1,2;short header', { level: 5, facility: 0, seq: 1, usecMonotonic: 2, text: 'short header' }],
  ['escapes kept as the kernel wrote them', '6,1,2,-;tab\\x09and \\x5c', { level: 6, facility: 0, seq: 1, usecMonotonic: 2, text: 'tab\\x09and \\x5c' }],
  ['continuation lines are not part of the text', '6,3,4,-;usb 1-1: new device\n SUBSYSTEM=usb\n DEVICE=c189:1\n', { level: 6, facility: 0, seq: 3, usecMonotonic: 4, text: 'usb 1-1: new device' }],
  ['trailing CR dropped', '6,3,4,-;crlf\r\n', { level: 6, facility: 0, seq: 3, usecMonotonic: 4, text: 'crlf' }],
  ['empty text', '6,3,4,-;', { level: 6, facility: 0, seq: 3, usecMonotonic: 4, text: '' }],
  ['semicolon inside text', '6,3,4,-;a;b', { level: 6, facility: 0, seq: 3, usecMonotonic: 4, text: 'a;b' }],
  ['valid UTF-8 text', '6,3,4,-;caf\u00e9 \u{1f600}', { level: 6, facility: 0, seq: 3, usecMonotonic: 4, text: 'caf\u00e9 \u{1f600}' }],
];

const garbage: Array<[string, string]> = [
  ['empty', ''],
  ['no semicolon', '6,1,2,- no separator'],
  ['non-numeric prio', 'x,1,2,-;text'],
  ['non-numeric seq', '6,a,2,-;text'],
  ['negative number', '6,-1,2,-;text'],
  ['missing usec', '6,1;text'],
  ['a bare continuation line', ' SUBSYSTEM=usb'],
  ['syslog format', '<6>[    1.000000] text'],
  ['binary in text', '6,1,2,-;bin\u0000ary'],
  ['escape byte raw in text', '6,1,2,-;\u001b[31mred'],
  ['binary header', '\u0001\u0002,\u0003;\u00ff'],
  ['undecodable bytes (U+FFFD)', '6,1,2,-;bad \ufffd'],
  ['number beyond 2^53', '6,1,99999999999999999999,-;x'],
  ['control byte in flags', '6,1,2,\u0007;x'],
];

describe('parseKmsgRecord', () => {
  it.each(valid)('%s', (_name, raw, expected) => {
    expect(parseKmsgRecord(raw)).toEqual(expected);
  });

  it.each(garbage)('rejects %s', (_name, raw) => {
    expect(parseKmsgRecord(raw)).toBeUndefined();
  });

  it('parses a 64 KiB message', () => {
    const text = 'x'.repeat(64 * 1024);
    expect(parseKmsgRecord(`6,1,2,-;${text}`)?.text).toBe(text);
  });

  it('never throws on random bytes', () => {
    let seed = 7;
    for (let n = 0; n < 500; n++) {
      const bytes = Buffer.alloc(64);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
      expect(() => parseKmsgRecord(bytes.toString('utf8'))).not.toThrow();
    }
  });
});

describe('parseKmsgLineBytes agrees with parseKmsgRecord', () => {
  const fields: KmsgLineFields = { level: 0, facility: 0, seq: 0, usecMonotonic: 0, textStart: 0, textEnd: 0, plain: false };
  const lines = [...valid.map(([, raw]) => raw), ...garbage.map(([, raw]) => raw)]
    .map((raw) => raw.split('\n')[0] ?? '')
    .concat(['6,1,2,-;raw \xff byte']);
  it.each(lines.map((line) => [JSON.stringify(line).slice(0, 60), line]))('%s', (_name, line) => {
    const bytes = line.includes('\xff') ? Buffer.from(line, 'latin1') : Buffer.from(line, 'utf8');
    const fromString = parseKmsgRecord(bytes.toString('utf8'));
    const ok = parseKmsgLineBytes(bytes, 0, bytes.length, fields);
    expect(ok).toBe(fromString !== undefined);
    if (fromString !== undefined) {
      expect({ level: fields.level, facility: fields.facility, seq: fields.seq, usecMonotonic: fields.usecMonotonic }).toEqual({
        level: fromString.level,
        facility: fromString.facility,
        seq: fromString.seq,
        usecMonotonic: fromString.usecMonotonic,
      });
      expect(bytes.subarray(fields.textStart, fields.textEnd).toString('utf8')).toBe(fromString.text);
    }
  });
});

describe('KmsgSplitter', () => {
  it('splits on newlines across chunks and drops continuation lines', () => {
    const splitter = new KmsgSplitter();
    const input = Buffer.from('6,1,2,-;first\n SUBSYSTEM=usb\n DEVICE=c189:1\n6,2,3,-;sec');
    const out = [...splitter.push(input.subarray(0, 10)), ...splitter.push(input.subarray(10)), ...splitter.push(Buffer.from('ond\n\n'))];
    expect(out).toEqual(['6,1,2,-;first', '6,2,3,-;second']);
    expect(splitter.end()).toEqual([]);
  });

  it('splits NUL-separated records (dmesg --kmsg-file format)', () => {
    const splitter = new KmsgSplitter();
    const out = splitter.push(Buffer.from('6,1,2,-;a\n SUBSYSTEM=x\n\u00006,2,3,-;b\n\u0000'));
    expect(out).toEqual(['6,1,2,-;a', '6,2,3,-;b']);
  });

  it('returns an unterminated last line at the end', () => {
    const splitter = new KmsgSplitter();
    expect(splitter.push(Buffer.from('6,1,2,-;tail'))).toEqual([]);
    expect(splitter.end()).toEqual(['6,1,2,-;tail']);
  });

  it('cuts a line longer than the limit and keeps going', () => {
    const splitter = new KmsgSplitter();
    const long = Buffer.alloc(KMSG_MAX_LINE_BYTES + 10, 0x61);
    const out = [...splitter.push(long), ...splitter.push(Buffer.from('\n6,1,2,-;next\n'))];
    expect(out).toHaveLength(2);
    expect(out[0]).toHaveLength(KMSG_MAX_LINE_BYTES);
    expect(out[1]).toBe('6,1,2,-;next');
    expect(splitter.oversizedLines).toBe(1);
  });
});
