import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseKmsgRecord } from '../../src/kmsg/parse';

// `ha dmesg` as a plain stream (--no-pager, or stdout no terminal) runs without the command table
// (src/bin/main.ts): the real bin/ha.js must still print exactly what util-linux dmesg prints, fail like
// the command did, and leave everything else (--help, other flags, --image) to the command table.
const HA = join(__dirname, '..', '..', 'bin', 'ha.js');
const hasDmesg = spawnSync('dmesg', ['--version']).status === 0;
const workDir = mkdtempSync(join(tmpdir(), 'kmsg-ha-dmesg-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const records = [
  '3,1,1000003,-;usb 1-1: device descriptor read/64, error -71',
  '4,2,1000004,-;warning message',
  '6,3,12345678901,-;app[99]: segfault at 0 ip 00000000 sp 00000000 error 4',
  '6,4,2000000,-;multi\\x0aline\\x09tab caf\\xc3\\xa9 bad \\xff',
  '6,5,2000000,c;flags: continued',
  '6,6,2000000,-;',
  'garbage line',
  '6,7,123456000000,-;wide timestamp',
].join('\n SUBSYSTEM=test\n') + '\n';
const kmsgFile = join(workDir, 'records.kmsg');
writeFileSync(kmsgFile, records.repeat(3000));

function syslogFile(): string {
  const parts: Buffer[] = [];
  for (const line of records.repeat(3000).split('\n')) {
    const record = parseKmsgRecord(line);
    if (record === undefined) continue;
    const seconds = Math.floor(record.usecMonotonic / 1e6);
    const micros = record.usecMonotonic % 1e6;
    const raw = Buffer.from(record.text.replace(/\\x([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    parts.push(Buffer.from(`<${record.level}>[${String(seconds).padStart(5)}.${String(micros).padStart(6, '0')}] `), raw, Buffer.from('\n'));
  }
  const file = join(workDir, 'records.syslog');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

function ha(args: string[], env: Record<string, string>) {
  const base: Record<string, string | undefined> = { ...process.env, HA_CONSOLE_KMSG: kmsgFile, SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9', LC_ALL: 'C.UTF-8' };
  delete base['NO_COLOR'];
  delete base['FORCE_COLOR'];
  return spawnSync(process.execPath, [HA, ...args], { env: { ...base, ...env }, maxBuffer: 1 << 28 });
}

describe.skipIf(!hasDmesg)('ha dmesg as a plain stream', () => {
  const syslog = syslogFile();
  it.each([false, true])('prints what dmesg -F prints, more than one read batch (colour %s)', (color) => {
    const theirs = spawnSync('dmesg', ['-F', syslog, `--color=${color ? 'always' : 'never'}`], { env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 1 << 28 }).stdout;
    const env = color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' };
    for (const args of [['dmesg', '--no-pager'], ['dmesg'], ['dmesg', '-f']]) {
      const ours = ha(args, env);
      expect(ours.status, ours.stderr.toString()).toBe(0);
      expect(ours.stdout.length).toBeGreaterThan(256 * 1024);
      expect(ours.stdout.equals(theirs), `${args.join(' ')}`).toBe(true);
    }
  });

  it('prints the same without WebAssembly (node --jitless: the TypeScript formatter serves)', () => {
    const theirs = spawnSync('dmesg', ['-F', syslog, '--color=always'], { env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 1 << 28 }).stdout;
    const base: Record<string, string | undefined> = { ...process.env, HA_CONSOLE_KMSG: kmsgFile, SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9', LC_ALL: 'C.UTF-8', FORCE_COLOR: '1' };
    delete base['NO_COLOR'];
    const probe = spawnSync(process.execPath, ['--jitless', '-p', 'typeof WebAssembly'], { encoding: 'utf8' });
    expect(probe.stdout.trim()).toBe('undefined');
    const ours = spawnSync(process.execPath, ['--jitless', HA, 'dmesg', '--no-pager'], { env: base, maxBuffer: 1 << 28 });
    expect(ours.status, ours.stderr.toString()).toBe(0);
    expect(ours.stdout.equals(theirs)).toBe(true);
  });
});

describe.skipIf(!hasDmesg)('ha dmesg into a pipe read slowly', () => {
  // Batch buffers are refilled once the pipe has taken them: a reader that lags behind makes every
  // write wait in the pipe, and not one byte may change while it waits.
  it('prints exactly what dmesg -F prints', async () => {
    const syslog = syslogFile();
    const theirs = spawnSync('dmesg', ['-F', syslog, '--color=never'], { env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 1 << 28 }).stdout;
    const env: Record<string, string | undefined> = { ...process.env, HA_CONSOLE_KMSG: kmsgFile, SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9', LC_ALL: 'C.UTF-8', NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    const child = spawn(process.execPath, [HA, 'dmesg', '--no-pager'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let reads = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // Every few reads the reader stops for a while: the pipe fills and ha's writes wait.
      if (++reads % 4 === 0) {
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 5);
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(0);
    const ours = Buffer.concat(chunks);
    expect(ours.length).toBeGreaterThan(3 * 256 * 1024);
    expect(ours.equals(theirs)).toBe(true);
  });
});

describe('ha dmesg failures and other forms', () => {
  it('a missing source fails with the error and hint of the dmesg command, exit 1', () => {
    const result = ha(['dmesg', '--no-pager'], { NO_COLOR: '1', HA_CONSOLE_KMSG: join(workDir, 'missing') });
    expect(result.status).toBe(1);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr.toString()).toBe(`Error: kernel log source ${join(workDir, 'missing')} does not exist\nHint: Give a kmsg-format file or FIFO, or /dev/kmsg on a Linux host.\n`);
  });

  it('--help and unknown flags still go through the command table', () => {
    const help = ha(['dmesg', '--help'], { NO_COLOR: '1' });
    expect(help.status).toBe(0);
    expect(help.stdout.toString()).toContain('--no-pager');
    const unknown = ha(['dmesg', '--bogus'], { NO_COLOR: '1' });
    expect(unknown.status).toBe(2);
    expect(unknown.stdout.length).toBe(0);
  });

  it('--image is refused by the command table, not printed', () => {
    const image = join(workDir, 'card.img');
    writeFileSync(image, Buffer.alloc(4096));
    const result = ha(['--image', image, 'dmesg', '--no-pager'], { NO_COLOR: '1' });
    expect(result.status).not.toBe(0);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr.toString()).toContain('Error:');
  });
});
