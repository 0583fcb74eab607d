import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runKernelLogPhase } from '../../src/console/kernel-log-phase';

const HINT = 'Press Enter for the Home Assistant console';
const workDir = mkdtempSync(join(tmpdir(), 'kmsg-phase-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function streams(): { input: PassThrough; output: PassThrough; text: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  return { input, output, text: () => written };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('runKernelLogPhase through a stream pair (not a TTY)', () => {
  it('prints the hint and the lines, keeps waiting at end of file, ignores Ctrl-C/Ctrl-D, ends on Enter and prints nothing after', async () => {
    const file = join(workDir, 'boot.kmsg');
    writeFileSync(file, '6,1,1000000,-;first line\n SUBSYSTEM=x\n3,2,2500000,-;second line\n');
    const { input, output, text } = streams();
    let finished = false;
    const phase = runKernelLogPhase({ source: file, input, output, color: false, columns: 0 }).then(() => {
      finished = true;
    });
    await until(() => text().includes('[    2.500000] second line\n'), 'the log lines');
    expect(text().startsWith(`${HINT}\n`)).toBe(true);
    expect(text()).toContain('[    1.000000] first line\n');
    expect(text()).not.toContain('SUBSYSTEM');
    // The keys are consumed (the input emits them) before the phase is checked: still running.
    await new Promise((resolve) => input.write('\x03\x04typed', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    input.write('more\rafter');
    await phase;
    const atEnd = text();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(text()).toBe(atEnd);
    expect(input.listenerCount('data')).toBe(0);
    expect(input.isPaused()).toBe(true);
    expect(input.read()?.toString()).toBe('after');
  });

  it('the hint comes back after the log goes quiet', async () => {
    const file = join(workDir, 'quiet.kmsg');
    writeFileSync(file, '6,1,1000000,-;only line\n');
    const { input, output, text } = streams();
    const phase = runKernelLogPhase({ source: file, input, output, color: false, columns: 80 });
    await until(() => text().endsWith(`only line\n${HINT}\n`), 'the hint after the quiet time');
    input.write('\n');
    await phase;
  });

  it('sticky hint on a colour terminal: erased before lines, redrawn after, erased at Enter', async () => {
    const file = join(workDir, 'color.kmsg');
    writeFileSync(file, '6,1,1000000,-;usb 1-1: hello\n');
    const { input, output, text } = streams();
    const phase = runKernelLogPhase({ source: file, input, output, color: true, columns: 80, hint: 'Go on' });
    await until(() => text().includes('hello'), 'the line');
    await until(() => text().endsWith('\x1b[2mGo on\x1b[0m'), 'the redrawn hint');
    expect(text()).toBe('\x1b[2mGo on\x1b[0m\r\x1b[K\x1b[32m[    1.000000] \x1b[0m\x1b[33musb 1-1: \x1b[0mhello\n\x1b[2mGo on\x1b[0m');
    input.write('\r');
    await phase;
    expect(text().endsWith('\x1b[2mGo on\x1b[0m\r\x1b[K')).toBe(true);
  });

  it('a missing source shows one line and still waits for Enter', async () => {
    const { input, output, text } = streams();
    const notes: string[] = [];
    const phase = runKernelLogPhase({ source: join(workDir, 'nope'), input, output, color: false, columns: 0, onNote: (n) => notes.push(n) });
    await until(() => text().includes('kernel log unavailable:'), 'the unavailable line');
    expect(text().split('\n').filter((l) => l.startsWith('kernel log unavailable: ')).length).toBe(1);
    expect(notes.length).toBe(1);
    input.write('\n');
    await phase;
  });

  it('binary garbage and a 64 KiB line do not break it', async () => {
    const file = join(workDir, 'garbage.kmsg');
    const huge = 'z'.repeat(64 * 1024);
    writeFileSync(file, Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0x1b]), Buffer.from(`\n6,1,1000000,-;${huge}\n6,2,2000000,-;after\n`)]));
    const { input, output, text } = streams();
    const phase = runKernelLogPhase({ source: file, input, output, color: false, columns: 0 });
    await until(() => text().includes('after'), 'the line after the huge one');
    expect(text()).toContain(`[    1.000000] ${huge}\n`);
    input.write('\n');
    await phase;
  });

  it('follows a FIFO: lines written later appear; input end ends the phase', async () => {
    const fifo = join(workDir, 'live.fifo');
    execFileSync('mkfifo', [fifo]);
    const { input, output, text } = streams();
    const phase = runKernelLogPhase({ source: fifo, input, output, color: false, columns: 0 });
    const writer = createWriteStream(fifo);
    writer.write('6,1,1000000,-;early\n');
    await until(() => text().includes('early'), 'the first FIFO line');
    writer.write('6,2,3000000,-;late\n');
    await until(() => text().includes('[    3.000000] late\n'), 'the later FIFO line');
    input.end();
    await phase;
    writer.end();
  });

  it('an aborted signal ends the phase', async () => {
    const { input, output } = streams();
    const controller = new AbortController();
    const phase = runKernelLogPhase({ source: '/dev/null', input, output, color: false, columns: 0, signal: controller.signal });
    controller.abort();
    await phase;
    expect(input.listenerCount('data')).toBe(0);
  });
});
