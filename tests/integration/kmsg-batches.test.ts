import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatKmsgBuffer, formatKmsgRecord } from '../../src/kmsg/format';
import { openFormattedKmsg } from '../../src/kmsg/formatted-source';
import { parseKmsgRecord } from '../../src/kmsg/parse';
import { KMSG_BATCH_BYTES } from '../../src/kmsg/read-bytes';

const workDir = mkdtempSync(join(tmpdir(), 'kmsg-batches-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

// Records of varied length (plain, escaped, UTF-8, coloured subsystems), some NUL-ended, with
// continuation lines and garbage, long enough to cross several read batches at every offset.
function kmsgText(records: number): string {
  let text = '';
  for (let i = 0; i < records; i++) {
    const body = i % 5 === 0 ? `usb 1-${i}: caf\\xc3\\xa9 tab\\x09 ${'x'.repeat(i % 300)}` : `EXT4-fs (sda${i % 9}): segfault at ${i} ${'y'.repeat(i % 97)}`;
    text += `${[6, 4, 3, 7][i % 4]},${i},${i * 1001},-;${body}${i % 7 === 0 ? '\0' : '\n'}`;
    if (i % 11 === 0) text += ' SUBSYSTEM=usb\n';
    if (i % 13 === 0) text += 'not a record\n';
  }
  return text;
}

async function collect(path: string, color: boolean, reuse = false): Promise<{ bytes: Buffer; batches: number; skipped: number; buffers: number }> {
  const source = openFormattedKmsg(path, { follow: false, color, reuse });
  const chunks: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  for await (const batch of source) {
    buffers.add(batch.buffer);
    chunks.push(Buffer.from(batch));
  }
  return { bytes: Buffer.concat(chunks), batches: chunks.length, skipped: source.stats.skippedLines, buffers: buffers.size };
}

describe('openFormattedKmsg: one formatted buffer per read batch', () => {
  const text = kmsgText(9000);
  const file = join(workDir, 'big.kmsg');
  writeFileSync(file, text);
  // The record-by-record path is the reference: every record formatted alone.
  const expected = (color: boolean): string =>
    text
      .split(/[\n\0]/)
      .map((line) => parseKmsgRecord(line))
      .map((record) => (record === undefined ? '' : formatKmsgRecord(record, { color })))
      .join('');

  it('a file of several batches formats exactly as record by record, lines split across reads included', async () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * KMSG_BATCH_BYTES);
    for (const color of [false, true]) {
      const got = await collect(file, color);
      expect(got.batches).toBeGreaterThan(3);
      expect(got.bytes.toString('utf8')).toBe(expected(color));
      expect(got.skipped).toBe(Math.ceil(9000 / 13));
      expect(formatKmsgBuffer(Buffer.from(text), { color }).toString('utf8')).toBe(expected(color));
    }
  });

  it('with reuse (a consumer that copies, the viewer), one buffer refilled for every batch gives the same bytes', async () => {
    const bigger = join(workDir, 'bigger.kmsg');
    writeFileSync(bigger, kmsgText(30_000));
    const own = await collect(bigger, true);
    const reused = await collect(bigger, true, true);
    expect(reused.bytes.equals(own.bytes)).toBe(true);
    expect(own.buffers).toBe(own.batches);
    // One buffer, grown (doubling) while the first batches grow to full size: a handful, not one per batch.
    expect(reused.batches).toBeGreaterThan(8);
    expect(reused.buffers).toBeLessThanOrEqual(6);
  });

  it('batches given back (recycled) after use are refilled; batches kept are never touched again', async () => {
    const bigger = join(workDir, 'recycled.kmsg');
    writeFileSync(bigger, kmsgText(30_000));
    const own = await collect(bigger, false);
    const source = openFormattedKmsg(bigger, { follow: false, color: false });
    const copies: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    const kept: { batch: Buffer; copy: Buffer }[] = [];
    let index = 0;
    for await (const batch of source) {
      buffers.add(batch.buffer);
      copies.push(Buffer.from(batch));
      // Every third batch is kept (never given back): later batches must not write into it.
      if (index++ % 3 === 2) kept.push({ batch, copy: Buffer.from(batch) });
      else source.recycle(batch);
    }
    expect(Buffer.concat(copies).equals(own.bytes)).toBe(true);
    for (const { batch, copy } of kept) expect(batch.equals(copy)).toBe(true);
    // Kept batches each have their own buffer; the others share a few.
    expect(index).toBeGreaterThan(8);
    expect(buffers.size).toBeLessThanOrEqual(kept.length + 4);
    expect(buffers.size).toBeLessThan(index);
    // Giving back a batch twice, or one the source never lent, changes nothing.
    source.recycle(Buffer.alloc(8));
  });

  it('a FIFO written in small odd-sized pieces gives the same bytes, the last line without a terminator too', async () => {
    const fifo = join(workDir, 'log.fifo');
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo ${code}`)))));
    const tail = '6,99999,5000000,-;last line without a newline';
    const reading = collect(fifo, false);
    // A writer that dribbles: dd with a tiny block size, so reads end inside records.
    const writer = spawn('dd', [`of=${fifo}`, 'bs=37', 'status=none']);
    writer.stdin.end(text.slice(0, 50_000) + tail);
    const got = await reading;
    const reference = formatKmsgBuffer(Buffer.from(text.slice(0, 50_000) + tail), { color: false }).toString('utf8');
    expect(got.bytes.toString('utf8')).toBe(reference);
    expect(reference.endsWith('last line without a newline\n')).toBe(true);
  });
});
