import { describe, expect, it } from 'vitest';
import { formatKmsgBuffer, formatKmsgRecord } from '../../src/kmsg/format';
import type { KmsgRecord } from '../../src/kmsg/record';
import { ByteWriter } from '../../src/kmsg/byte-writer';
import { formatDmesgTimestamp, writeDmesgTimestamp } from '../../src/kmsg/dmesg-line';

const G = '\x1b[32m';
const Y = '\x1b[33m';
const R = '\x1b[31m';
const B = '\x1b[1m';
const O = '\x1b[0m';

function record(text: string, usecMonotonic = 1_000_000, level = 6): KmsgRecord {
  return { level, facility: 0, seq: 1, usecMonotonic, text };
}

// Expected lines follow dmesg's documented format: `[%5ld.%06ld] ` + text, non-printables as \xNN.
const plain: Array<[string, KmsgRecord, string]> = [
  ['one second', record('hello'), '[    1.000000] hello\n'],
  ['zero', record('boot', 0), '[    0.000000] boot\n'],
  ['microseconds padded', record('x', 1_000_001), '[    1.000001] x\n'],
  ['five-digit seconds', record('x', 12_345_678_901), '[12345.678901] x\n'],
  ['six-digit seconds widen the field', record('x', 123_456_000_000), '[123456.000000] x\n'],
  ['escapes of printable bytes are decoded', record('a\\x5cb \\x41'), '[    1.000000] a\\b A\n'],
  ['non-printables stay escaped', record('esc \\x1b[31m nul \\x00 del \\x7f'), '[    1.000000] esc \\x1b[31m nul \\x00 del \\x7f\n'],
  ['tab, CR, VT, FF are printed as they are', record('t\\x09r\\x0dv\\x0bf\\x0c'), '[    1.000000] t\tr\rv\vf\f\n'],
  ['valid UTF-8 is printed', record('caf\\xc3\\xa9'), '[    1.000000] caf\u00e9\n'],
  ['invalid UTF-8 stays escaped', record('bad \\xff \\xc3('), '[    1.000000] bad \\xff \\xc3(\n'],
  ['C1 control stays escaped', record('nel \\xc2\\x85'), '[    1.000000] nel \\xc2\\x85\n'],
  ['multi-line text is indented under the text', record('first\\x0asecond\\x0a\\x0athird'), '[    1.000000] first\n               second\n               \n               third\n'],
  ['a trailing newline is not indented', record('end\\x0a'), '[    1.000000] end\n\n'],
  ['indent follows a wider timestamp', record('a\\x0ab', 123_456_000_000), '[123456.000000] a\n                b\n'],
  ['empty message prints an empty line', record(''), '\n'],
  ['escape cut short is literal', record('\\x4'), '[    1.000000] \\x4\n'],
];

const colored: Array<[string, KmsgRecord, string]> = [
  ['info: timestamp only', record('hello'), `${G}[    1.000000] ${O}hello\n`],
  ['subsystem prefix', record('usb 1-1: new device'), `${G}[    1.000000] ${O}${Y}usb 1-1: ${O}new device\n`],
  ['no subsystem without text after the blank', record('x: '), `${G}[    1.000000] ${O}x: \n`],
  ['no subsystem without a blank', record('a:b'), `${G}[    1.000000] ${O}a:b\n`],
  ['err red', record('boom', 1_000_000, 3), `${G}[    1.000000] ${O}${R}boom${O}\n`],
  ['warning bold', record('hmm', 1_000_000, 4), `${G}[    1.000000] ${O}${B}hmm${O}\n`],
  ['crit bold red', record('bad', 1_000_000, 2), `${G}[    1.000000] ${O}\x1b[1m${R}bad${O}\n`],
  ['alert reverse red', record('worse', 1_000_000, 1), `${G}[    1.000000] ${O}\x1b[7m${R}worse${O}\n`],
  ['emerg is not coloured by dmesg', record('panic', 1_000_000, 0), `${G}[    1.000000] ${O}panic\n`],
  ['segfault at in an info message', record('app[1]: segfault at 0 ip', 1_000_000, 6), `${G}[    1.000000] ${O}${Y}app[1]: ${O}\x1b[2m${R}segfault at 0 ip${O}\n`],
  ['subsystem and level', record('mmc0: timeout', 1_000_000, 3), `${G}[    1.000000] ${O}${Y}mmc0: ${O}${R}timeout${O}\n`],
];

describe('formatKmsgRecord', () => {
  it.each(plain)('plain: %s', (_name, input, expected) => {
    expect(formatKmsgRecord(input, { color: false })).toBe(expected);
  });

  it.each(colored)('colour: %s', (_name, input, expected) => {
    expect(formatKmsgRecord(input, { color: true })).toBe(expected);
  });

  it('formats a 64 KiB message in one line', () => {
    const text = 'y'.repeat(64 * 1024);
    expect(formatKmsgRecord(record(text), { color: false })).toBe(`[    1.000000] ${text}\n`);
  });
});

describe('formatKmsgBuffer', () => {
  const records = [...plain, ...colored].map(([, r]) => r);
  const input = Buffer.from(records.map((r, i) => `${r.level},${i},${r.usecMonotonic},-;${r.text}\n SUBSYSTEM=test\n`).join(''));

  it.each([false, true])('equals formatKmsgRecord for each record (color %s)', (color) => {
    const expected = records.map((r) => formatKmsgRecord(r, { color })).join('');
    expect(formatKmsgBuffer(input, { color }).toString('utf8')).toBe(expected);
  });

  it('skips garbage and accepts NUL separators', () => {
    const mixed = Buffer.concat([Buffer.from('garbage\n\u00ff\u0001binary\n6,1,2000000,-;ok\u0000'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('3,2,3000000,-;fine\n')]);
    expect(formatKmsgBuffer(mixed, { color: false }).toString()).toBe('[    2.000000] ok\n[    3.000000] fine\n');
  });
});

describe('writeDmesgTimestamp', () => {
  it('writes what formatDmesgTimestamp prints, past 2^31 and 2^32 microseconds and at 100,000 s and more', () => {
    const values = [0, 7, 999_999, 1_000_000, 2 ** 31 - 1, 2 ** 31 + 5, 2 ** 32 + 999_999, 2 ** 40 + 123_456, 99_999 * 1_000_000 + 1, 123_456_789_012_345];
    for (const usec of values) {
      const out = new ByteWriter(64);
      const length = writeDmesgTimestamp(out, usec);
      expect(out.view().toString('latin1'), String(usec)).toBe(formatDmesgTimestamp(usec));
      expect(length).toBe(formatDmesgTimestamp(usec).length);
    }
    expect(formatDmesgTimestamp(2 ** 31 + 5)).toBe('[ 2147.483653] ');
  });
});
