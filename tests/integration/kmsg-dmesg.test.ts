import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpKernelLog } from '../../src/console/kernel-log-phase';
import { formatKmsgBuffer } from '../../src/kmsg/format';
import { parseKmsgRecord } from '../../src/kmsg/parse';

// util-linux 2.38 has no `dmesg --kmsg-file`; `dmesg -F FILE` reads the syslog(2) format
// `<prio>[seconds.micros] text`, so the same records are converted to that (with the kernel's
// \xNN escapes decoded to raw bytes, as they are in the syslog buffer) and both outputs compared.
const dmesg = spawnSync('dmesg', ['--version'], { encoding: 'utf8' });
const hasDmesg = dmesg.status === 0;
const workDir = mkdtempSync(join(tmpdir(), 'kmsg-dmesg-'));
const samplePath = join(__dirname, '..', '..', 'assets', 'sample.kmsg');

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function toSyslogFormat(kmsg: string): Buffer {
  const parts: Buffer[] = [];
  for (const line of kmsg.split(/[\n\0]/)) {
    const record = parseKmsgRecord(line);
    if (record === undefined) continue;
    const seconds = Math.floor(record.usecMonotonic / 1e6);
    const micros = record.usecMonotonic % 1e6;
    const raw = Buffer.from(record.text.replace(/\\x([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    parts.push(Buffer.from(`<${record.facility * 8 + record.level}>[${String(seconds).padStart(5)}.${String(micros).padStart(6, '0')}] `), raw, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

function realDmesg(kmsg: string, color: boolean): Buffer {
  const file = join(workDir, `syslog-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, toSyslogFormat(kmsg));
  const result = spawnSync('dmesg', ['-F', file, `--color=${color ? 'always' : 'never'}`], { env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  expect(result.status).toBe(0);
  return result.stdout;
}

const tricky = [
  '0,1,1000000,-;emerg message',
  '1,2,1000001,-;alert message',
  '2,3,1000002,-;crit: subsystem and crit',
  '3,4,1000003,-;usb 1-1: device descriptor read/64, error -71',
  '4,5,1000004,-;warning message',
  '5,6,1000005,-;notice x: ',
  '6,7,12345678901,-;app[99]: segfault at 0 ip 00000000 sp 00000000 error 4',
  '7,8,123456000000,-;debug: wide timestamp',
  '6,9,2000000,-;multi\\x0aline\\x0a\\x0ablank\\x09tab',
  '6,10,2000000,-;esc \\x1b[31m bin \\x01 nul \\x00 del \\x7f',
  '6,11,2000000,-;utf8 caf\\xc3\\xa9 \\xe2\\x80\\xa8 \\xf0\\x9f\\x98\\x80 bad \\xff \\xc3( c1 \\xc2\\x85 surrogate \\xed\\xa0\\x80',
  '6,12,2000000,-;trailing colon:',
  '14,13,2000000,-;user facility: hello',
  '6,14,2000000,-;backslash \\x5c and a:b c:\\x09tabbed subsystem',
  '6,15,2000000,-;' + 'long '.repeat(400),
].join('\n SUBSYSTEM=test\n') + '\n';

describe.skipIf(!hasDmesg)('formatting equals the real dmesg', () => {
  it.each([
    [false, 'wasm'],
    [true, 'wasm'],
    [false, 'typescript'],
    [true, 'typescript'],
  ] as const)('tricky records (color %s, %s formatter)', (color, engine) => {
    expect(formatKmsgBuffer(Buffer.from(tricky), { color, engine }).toString('latin1')).toBe(realDmesg(tricky, color).toString('latin1'));
  });

  it.each([false, true])('the sample boot log through dumpKernelLog (color %s)', async (color) => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    await dumpKernelLog({ source: samplePath, output, color });
    expect(Buffer.concat(chunks).toString('latin1')).toBe(realDmesg(readFileSync(samplePath, 'utf8'), color).toString('latin1'));
  });
});

let kmsgReadable = false;
try {
  accessSync('/dev/kmsg', constants.R_OK);
  kmsgReadable = hasDmesg;
} catch {
  kmsgReadable = false;
}

describe.skipIf(!kmsgReadable)('/dev/kmsg (skipped: /dev/kmsg not readable or no dmesg)', () => {
  it('dumpKernelLog prints what `dmesg` prints, record for record', async () => {
    const theirs = spawnSync('dmesg', ['--color=never'], { env: { ...process.env, LC_ALL: 'C.UTF-8' } }).stdout.toString('latin1');
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    await dumpKernelLog({ source: '/dev/kmsg', output, color: false });
    const ours = Buffer.concat(chunks).toString('latin1');
    // Records written between the two reads (other tests) may follow; what dmesg saw must come first.
    const firstLine = theirs.slice(0, theirs.indexOf('\n') + 1);
    expect(firstLine.length).toBeGreaterThan(1);
    const start = ours.indexOf(firstLine);
    expect(start).toBeGreaterThanOrEqual(0);
    const overlap = ours.slice(start, start + theirs.length);
    expect(theirs.startsWith(overlap)).toBe(true);
    expect(overlap.length).toBeGreaterThan(theirs.length / 2);
  });
});
