import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/emulator';
import { HaError } from '../../src/errors/ha-error';
import type { LogsRequest } from '../../src/supervisor/api';
import { createSupervisorClient } from '../../src/supervisor/client';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const core: LogsRequest = { service: 'core', follow: false, verbose: false };

describe('logs through the client', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ hostname: 'loghost', historyLines: { core: 50, host: 60 }, followIntervalMs: 10 });
  });
  afterAll(() => emulator.close());
  const client = () => createSupervisorClient({ endpoint: emulator.url, token: emulator.token });

  it('-n N gives the last N entries, plain', async () => {
    const out = lines(await readAll(await client().openLogs({ ...core, lines: 5 })));
    expect(out).toHaveLength(5);
    expect(out[0]).toContain('(#45)');
    expect(out[4]).toContain('(#49)');
    expect(out[0]).not.toMatch(/^\d{4}-/);
  });

  it('-n 1 gives the last two entries (documented), never the whole journal', async () => {
    const out = lines(await readAll(await client().openLogs({ ...core, lines: 1 })));
    expect(out.map((l) => /#(\d+)/.exec(l)?.[1])).toEqual(['48', '49']);
  });

  it('no -n gives the default 100 (all 50 here); -v is the verbose format', async () => {
    expect(lines(await readAll(await client().openLogs(core)))).toHaveLength(50);
    const verbose = lines(await readAll(await client().openLogs({ ...core, verbose: true, lines: 3 })));
    for (const line of verbose) expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} loghost homeassistant\[\d+\]: /);
  });

  it('-b picks a boot, out of range is a HaError with a hint', async () => {
    const old = lines(await readAll(await client().openLogs({ service: 'host', follow: false, verbose: false, boot: '-1', lines: 2 })));
    expect(old.every((l) => l.includes('boot -1'))).toBe(true);
    const error: unknown = await client().openLogs({ ...core, boot: '-7' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaError);
    expect((error as HaError).message).toBe('Logs only contain 3 boots');
    expect((error as HaError).hint).toMatch(/ha host logs boots/);
  });

  it('host -t filters by identifier', async () => {
    const out = lines(await readAll(await client().openLogs({ service: 'host', follow: false, verbose: true, identifier: 'kernel' })));
    expect(out.length).toBeGreaterThan(0);
    for (const line of out) expect(line).toMatch(/ loghost kernel\[\d+\]: /);
  });

  it('-f delivers new entries before the stream ends; an abort ends it quietly', async () => {
    const controller = new AbortController();
    const stream = await client().openLogs({ ...core, follow: true, lines: 2 }, { signal: controller.signal });
    const seen: string[] = [];
    let ended = false;
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk) => {
        seen.push(...lines(String(chunk)));
        if (seen.some((l) => l.includes('(#52)'))) controller.abort();
      });
      stream.on('end', () => {
        ended = true;
        resolve();
      });
      stream.on('error', reject);
    });
    await done;
    expect(ended).toBe(true);
    expect(seen.slice(0, 3).map((l) => /#(\d+)/.exec(l)?.[1])).toEqual(['48', '49', '50']);
  });

  it('-f stops producing while the reader is paused (backpressure)', async () => {
    let produced = 0;
    const fast = await createEmulator({ followIntervalMs: 0, historyLines: { core: 1 }, logGenerator: (service, index) => {
      produced += 1;
      return { identifier: 'homeassistant', pid: 1, message: `${service} ${index} ${'x'.repeat(100)}` };
    } });
    try {
      const controller = new AbortController();
      const stream = await createSupervisorClient({ endpoint: fast.url, token: fast.token }).openLogs({ ...core, follow: true }, { signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const first = produced;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(produced).toBe(first);
      expect(produced).toBeLessThan(100_000);
      controller.abort();
      stream.resume();
    } finally {
      await fast.close();
    }
  });

  it('followEndAfter ends the stream after that many entries', async () => {
    const short = await createEmulator({ followEndAfter: 30, followIntervalMs: 0, historyLines: { core: 10 } });
    try {
      const out = lines(await readAll(await createSupervisorClient({ endpoint: short.url, token: short.token }).openLogs({ ...core, follow: true })));
      expect(out).toHaveLength(30);
    } finally {
      await short.close();
    }
  });
});
