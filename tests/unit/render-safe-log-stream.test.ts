import { describe, expect, it } from 'vitest';
import { createSafeLogStream, sanitizeLogBytes } from '../../src/render/safe-log-stream';
import { safeLogLine } from '../../src/render/safe-text';

const SAMPLE = 'ok \x1b[31mERROR\x1b[0m \x1b]0;title\x07 \x1b[2J \x1b[10;2H \u009b2J \u202eevil\u2069 Jürgen 名 🙂\r\nnext\rline\ttab\x1bPq\x1b\\\n';

async function throughStream(chunks: readonly Buffer[], color: boolean): Promise<string> {
  const stream = createSafeLogStream(color);
  const out: Buffer[] = [];
  stream.on('data', (d: Buffer) => out.push(d));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await ended;
  return Buffer.concat(out).toString('utf8');
}

describe('safe log stream', () => {
  it('gives what safeLogLine gives, whole', () => {
    expect(sanitizeLogBytes(Buffer.from(SAMPLE), true, true).out.toString()).toBe(safeLogLine(SAMPLE));
    expect(sanitizeLogBytes(Buffer.from(SAMPLE), false, true).out.toString()).toBe(safeLogLine(SAMPLE, false));
  });

  it('gives the same at every split point between two chunks', async () => {
    const bytes = Buffer.from(SAMPLE);
    for (let split = 0; split <= bytes.length; split++) {
      expect(await throughStream([bytes.subarray(0, split), bytes.subarray(split)], true)).toBe(safeLogLine(SAMPLE));
    }
  });

  it('shows bytes that are not UTF-8, overlong forms and a raw 8-bit CSI', () => {
    const bytes = Buffer.from([0x61, 0x9b, 0x32, 0x4a, 0xe0, 0x80, 0x9b, 0xc0, 0x9b, 0xff, 0x0a]);
    expect(sanitizeLogBytes(bytes, true, true).out.toString()).toBe('a\\x9b2J\\xe0\\x80\\x9b\\xc0\\x9b\\xff\n');
  });

  it('passes a clean chunk through untouched', () => {
    const bytes = Buffer.from('plain line\n');
    const { out, held } = sanitizeLogBytes(bytes, true, false);
    expect(out.equals(bytes)).toBe(true);
    expect(held).toBe(0);
  });
});
