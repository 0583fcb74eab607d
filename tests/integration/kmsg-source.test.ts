import { execFileSync } from 'node:child_process';
import { accessSync, constants, createWriteStream, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isHaError } from '../../src/errors/ha-error';
import type { KmsgRecord } from '../../src/kmsg/record';
import { openFormattedKmsg } from '../../src/kmsg/formatted-source';
import { openKmsgSource } from '../../src/kmsg/source';

const workDir = mkdtempSync(join(tmpdir(), 'kmsg-source-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function openFdsTo(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

/** Resolves when this process holds `count` descriptors of `path` (checked on each event-loop turn). */
async function untilOpen(path: string, count: number): Promise<void> {
  while (openFdsTo(path) < count) await new Promise((resolve) => setImmediate(resolve));
}

async function collect(iterable: AsyncIterable<KmsgRecord>): Promise<KmsgRecord[]> {
  const records: KmsgRecord[] = [];
  for await (const record of iterable) records.push(record);
  return records;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('openKmsgSource on a regular file', () => {
  it('reads records, skips garbage and continuation lines, ends at EOF, closes the file', async () => {
    const file = join(workDir, 'log.kmsg');
    writeFileSync(file, '6,1,100,-;one\n SUBSYSTEM=usb\ngarbage line\n\u0001\u00ff\n3,2,200,-;two\u00004,3,300,-;three');
    const source = openKmsgSource(file, { follow: true });
    const records = await collect(source);
    expect(records.map((r) => [r.seq, r.level, r.text])).toEqual([
      [1, 6, 'one'],
      [2, 3, 'two'],
      [3, 4, 'three'],
    ]);
    expect(source.stats.skippedLines).toBe(2);
    expect(openFdsTo(file)).toBe(0);
  });

  it('streams a file larger than one read chunk, with records across chunk boundaries', async () => {
    const file = join(workDir, 'big.kmsg');
    const count = 20_000;
    writeFileSync(file, Array.from({ length: count }, (_, i) => `6,${i},${i * 10},-;record number ${i}\n`).join(''));
    const records = await collect(openKmsgSource(file, { follow: false }));
    expect(records).toHaveLength(count);
    expect(records.every((r, i) => r.seq === i && r.text === `record number ${i}`)).toBe(true);
  });

  it('gives the event loop a turn at least every 25 ms while reading a large file (keys and timers are not held up)', async () => {
    const file = join(workDir, 'turns.kmsg');
    writeFileSync(file, Array.from({ length: 60_000 }, (_, i) => `6,${i},1,-;record ${i} of a file several read chunks long\n`).join(''));
    let turns = 0;
    let running = true;
    const tick = (): void => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    // A slow output (10 ms per batch, as a slow terminal): the reader must still let the loop turn.
    for await (const batch of openFormattedKmsg(file, { follow: false, color: false })) {
      seen.push(turns);
      const until = performance.now() + 10;
      while (performance.now() < until && batch.length > 0);
    }
    running = false;
    expect(seen.length).toBeGreaterThan(8);
    // No more than three batches of 10 ms each (over 25 ms) go by without a turn.
    for (let i = 3; i < seen.length; i++) expect(seen[i], `batch ${i}: ${seen.join(' ')}`).toBeGreaterThan(seen[i - 3] ?? 0);
  });

  it('closes the file when the iteration stops early', async () => {
    const file = join(workDir, 'early.kmsg');
    writeFileSync(file, Array.from({ length: 100_000 }, (_, i) => `6,${i},1,-;r${i}\n`).join(''));
    for await (const record of openKmsgSource(file, { follow: false })) if (record.seq === 3) break;
    expect(openFdsTo(file)).toBe(0);
  });
});

describe('openKmsgSource errors', () => {
  it('a missing path is a HaError with a hint', async () => {
    const error = await rejection(collect(openKmsgSource(join(workDir, 'missing'), { follow: false })));
    expect(isHaError(error) && error.message.includes('does not exist') && error.hint !== undefined).toBe(true);
  });

  it('a directory is a HaError', async () => {
    const error = await rejection(collect(openKmsgSource(workDir, { follow: false })));
    expect(isHaError(error) && error.message.includes('is a directory')).toBe(true);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file is a HaError saying so (skipped as root: root reads everything)', async () => {
    const file = join(workDir, 'secret.kmsg');
    writeFileSync(file, '6,1,1,-;x\n', { mode: 0o000 });
    const error = await rejection(collect(openKmsgSource(file, { follow: false })));
    expect(isHaError(error) && error.message.includes('permission')).toBe(true);
  });
});

describe('openKmsgSource on a FIFO', () => {
  it('reads until the writer closes, then ends', async () => {
    const fifo = join(workDir, 'kmsg.fifo');
    execFileSync('mkfifo', [fifo]);
    const done = collect(openKmsgSource(fifo, { follow: true }));
    const writer = createWriteStream(fifo);
    // The second write goes out only after the first reached the FIFO: records split across reads.
    await new Promise((resolve) => writer.write('6,1,100,-;first\n SUBSYSTEM=usb\n', resolve));
    writer.write('6,2,200,-;sec');
    writer.end('ond\n6,3,300,-;last without newline');
    const records = await done;
    expect(records.map((r) => r.text)).toEqual(['first', 'second', 'last without newline']);
    expect(openFdsTo(fifo)).toBe(0);
  });

  it('stops and closes the FIFO on abort while no writer has come', async () => {
    const fifo = join(workDir, 'idle.fifo');
    execFileSync('mkfifo', [fifo]);
    const controller = new AbortController();
    const done = collect(openKmsgSource(fifo, { follow: true, signal: controller.signal }));
    await untilOpen(fifo, 1);
    expect(openFdsTo(fifo)).toBe(1);
    controller.abort();
    expect(await done).toEqual([]);
    expect(openFdsTo(fifo)).toBe(0);
  });
});

let kmsgWritable = false;
try {
  accessSync('/dev/kmsg', constants.R_OK | constants.W_OK);
  kmsgWritable = true;
} catch {
  kmsgWritable = false;
}

describe.skipIf(!kmsgWritable)('openKmsgSource on /dev/kmsg (skipped: /dev/kmsg is not readable and writable here; needs root on Linux)', () => {
  it('dumps what is there without follow, and ends', async () => {
    const source = openKmsgSource('/dev/kmsg', { follow: false });
    const records = await collect(source);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r, i) => i === 0 || r.seq > (records[i - 1]?.seq ?? -1))).toBe(true);
    expect(openFdsTo('/dev/kmsg')).toBe(0);
  });

  it('follow: a message written to /dev/kmsg comes out, abort closes the device', async () => {
    const tag = `ha-console-test ${process.pid}-${Date.now()}`;
    const controller = new AbortController();
    let found: KmsgRecord | undefined;
    const reading = (async () => {
      for await (const record of openKmsgSource('/dev/kmsg', { follow: true, signal: controller.signal })) {
        if (record.text === tag) {
          found = record;
          controller.abort();
        }
      }
    })();
    // Written once the device is open (a reader starts at the oldest record, so nothing is missed).
    await untilOpen('/dev/kmsg', 1);
    writeFileSync('/dev/kmsg', `<6>${tag}\n`);
    await reading;
    expect(found?.level).toBe(6);
    expect(openFdsTo('/dev/kmsg')).toBe(0);
  });
});
