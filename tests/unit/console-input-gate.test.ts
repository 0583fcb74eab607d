import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputGate, lineEnd } from '../../src/console/input-gate';

function collect(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

const tick = () => new Promise((r) => setImmediate(r));

describe('lineEnd', () => {
  it.each([
    ['abc\rdef', 4],
    ['abc\r\ndef', 5],
    ['abc\ndef', 4],
    ['abc', -1],
  ])('%j', (text, index) => {
    expect(lineEnd(Buffer.from(text))).toBe(index);
  });
});

describe('InputGate', () => {
  it('hands out one line at a time and keeps the rest for the next prompt', async () => {
    const real = new PassThrough();
    const gate = new InputGate(real);
    gate.start();
    const first = collect(gate.nextLine());
    real.write('core info\rdns info\rex');
    await tick();
    expect(first()).toBe('core info\r');
    const second = collect(gate.nextLine());
    await tick();
    expect(second()).toBe('dns info\r');
    const third = collect(gate.nextLine());
    real.write('it\r');
    await tick();
    expect(third()).toBe('exit\r');
  });

  it('keeps keys typed while a command runs, and drops them on Ctrl-C', async () => {
    const real = new PassThrough();
    const gate = new InputGate(real);
    gate.start();
    let interrupted = 0;
    gate.runCommand(() => interrupted++);
    real.write('typed ahead\r');
    await tick();
    const next = collect(gate.nextLine());
    await tick();
    expect(next()).toBe('typed ahead\r');
    gate.runCommand(() => interrupted++);
    real.write('lost\x03');
    await tick();
    expect(interrupted).toBe(1);
    const after = collect(gate.nextLine());
    await tick();
    expect(after()).toBe('');
  });

  it('lends every key to a prompt, which never becomes type-ahead', async () => {
    const real = new PassThrough();
    const gate = new InputGate(real);
    gate.start();
    gate.runCommand(() => undefined);
    const { stream, release } = gate.claim();
    const secret = collect(stream);
    real.write('s3cret\r');
    await tick();
    release();
    expect(secret()).toBe('s3cret\r');
    const next = collect(gate.nextLine());
    await tick();
    expect(next()).toBe('');
  });
});

describe('InputGate prompts and type-ahead', () => {
  it('a secret prompt drops the type-ahead; a line prompt takes it one line at a time', async () => {
    const real = new PassThrough();
    const gate = new InputGate(real);
    gate.start();
    gate.nextLine();
    real.write('auth reset\rpasted\rpasted\r');
    await tick();
    gate.runCommand(() => undefined);
    real.write('more\r');
    await tick();
    const secret = gate.claim('secret');
    const seen = collect(secret.stream);
    real.write('typed\r');
    await tick();
    expect(seen()).toBe('typed\r');
    secret.release();
    real.write('a\rb\r');
    await tick();
    const line = gate.claim('line');
    const lineSeen = collect(line.stream);
    await tick();
    expect(lineSeen()).toBe('a\r');
    line.release();
    const nextSeen = collect(gate.nextLine());
    await tick();
    expect(nextSeen()).toBe('b\r');
  });
});
