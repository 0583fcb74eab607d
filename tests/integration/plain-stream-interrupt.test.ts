// Ctrl-C stops a plain stream in a real pty: `ha dmesg -f --no-pager` on a dumb terminal of width 0
// (the serial console's only mode), following a FIFO that keeps the stream open, as a person types it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { afterAll, describe, expect, it } from 'vitest';

const HA = join(__dirname, '..', '..', 'bin', 'ha.js');
const workDir = mkdtempSync(join(tmpdir(), 'plain-interrupt-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('Ctrl-C on a plain stream in a pty', () => {
  for (const [label, args] of [
    ['ha dmesg -f --no-pager', ['dmesg', '-f', '--no-pager']],
    ['ha dmesg -f (dumb terminal: plain without asking)', ['dmesg', '-f']],
  ] as const) {
    it(`${label} on TERM=dumb, 0x0: prints the records, Ctrl-C ends it (the FIFO still open) without an error`, async () => {
      const fifo = join(workDir, `kmsg-${args.length}.fifo`);
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'dumb', LANG: 'C.UTF-8', HA_CONSOLE_KMSG: fifo, SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9' };
      const pty = spawnPty(process.execPath, [HA, ...args], { name: 'dumb', cols: 0, rows: 0, env });
      let output = '';
      const seen = (text: string): Promise<void> =>
        new Promise((resolve) => {
          const check = (): boolean => output.includes(text);
          if (check()) return resolve();
          const sub = pty.onData(() => {
            if (check()) {
              sub.dispose();
              resolve();
            }
          });
        });
      pty.onData((data) => (output += data));
      const exited = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
      // The writer keeps the FIFO open: the stream never ends by itself.
      const writer = openSync(fifo, constants.O_WRONLY);
      try {
        writeSync(writer, '6,1,1000000,-;first record\n4,2,2000000,-;second record\n');
        await seen('second record');
        expect(output).toContain('[    1.000000] first record');
        pty.write('\x03');
        // Without the interrupt working, this waits until the test's timeout and fails.
        await exited;
        expect(output).not.toContain('Error');
      } finally {
        closeSync(writer);
        pty.kill();
      }
    }, 30_000);
  }
});
