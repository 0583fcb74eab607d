import { createServer, Socket, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { createWriteStream } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { releasesChunksOnWrite, writeReleasing } from '../../src/console/kernel-log-output';

// A batch buffer may be refilled only once the output no longer holds it: these check when
// writeReleasing says so, on real sockets (a terminal or pipe behaves the same) and files.
let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets) socket.destroy();
  sockets.length = 0;
  server?.close();
  server = undefined;
});

/** A connected pair of loopback sockets; the far end starts paused (it reads nothing). */
async function socketPair(): Promise<{ near: Socket; far: Socket }> {
  const accepted = new Promise<Socket>((resolve) => {
    server = createServer({ pauseOnConnect: true }, resolve);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server?.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  const near = new Socket();
  await new Promise<void>((resolve) => near.connect(address.port, '127.0.0.1', resolve));
  const far = await accepted;
  sockets.push(near, far);
  return { near, far };
}

describe('writeReleasing: a batch is given back only when the output no longer holds it', () => {
  it('a socket that took the bytes at once gives the batch back within the call', async () => {
    const { near, far } = await socketPair();
    let released = 0;
    writeReleasing(near, Buffer.alloc(1000, 0x61), () => released++);
    expect(released).toBe(1);
    far.resume();
    // The write callback comes later (a later write's callback comes after it): still given back once only.
    await new Promise((resolve) => near.write(Buffer.alloc(0), resolve));
    expect(released).toBe(1);
  });

  it('a socket whose reader is slow keeps the batch until it is written, then gives it back once', async () => {
    const { near, far } = await socketPair();
    const big = Buffer.alloc(64 * 1024 * 1024, 0x62);
    let released = 0;
    const taken = writeReleasing(near, big, () => released++);
    expect(taken).toBe(false);
    expect(near.writableLength).toBeGreaterThan(0);
    expect(released).toBe(0);
    let received = 0;
    const all = new Promise<void>((resolve) =>
      far.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received === big.length) resolve();
      }),
    );
    far.resume();
    await all;
    await new Promise<void>((resolve) => (released > 0 ? resolve() : near.once('drain', () => setImmediate(resolve))));
    expect(released).toBe(1);
  });

  it('a file stream written asynchronously gives it back from the callback; a PassThrough is not an output that releases', async () => {
    const file = createWriteStream('/dev/null');
    let released = 0;
    await new Promise<void>((resolve) => writeReleasing(file, Buffer.alloc(100), () => (released++, resolve())));
    expect(released).toBe(1);
    await new Promise((resolve) => file.end(resolve));
    expect(releasesChunksOnWrite(new PassThrough())).toBe(false);
    expect(releasesChunksOnWrite(process.stdout)).toBe(true);
    const { near } = await socketPair();
    expect(releasesChunksOnWrite(near)).toBe(true);
  });
});
