import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/kmsg/byte-writer';
import { loadWasmDmesgFormatter, WasmDmesgFormatter } from '../../src/kmsg/dmesg-wasm';
import { DMESG_WASM_BASE64 } from '../../src/kmsg/dmesg-wasm-binary';
import { createKmsgLineFormatter, formatKmsgLines, formatLine, type KmsgFormatterEngine } from '../../src/kmsg/format-lines';
import { createSourceStats } from '../../src/kmsg/source-stats';
import { isPrintableCodePoint } from '../../src/kmsg/utf8';

// The WebAssembly formatter (src/kmsg/wasm/dmesg-format.c) against the TypeScript one, byte for byte, on
// random kmsg input cut into random chunks: both are also compared with util-linux dmesg in
// tests/integration/kmsg-dmesg.test.ts; here every rule is exercised where the two could part.

/** Deterministic PRNG (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXT_PIECES = [
  'usb 1-1: new device',
  'plain words ',
  'subsys: ',
  'a:b',
  ':\t',
  ': ',
  'segfault at 0 ip',
  'segfault a',
  '\\x0a',
  '\\x0A\\x00',
  '\\x09',
  '\\x1b[31m',
  '\\x7f',
  '\\x5c',
  '\\',
  '\\x',
  '\\xg1',
  '\\xc3\\xa9',
  '\\xc2\\x85',
  '\\xc3(',
  '\\xed\\xa0\\x80',
  '\\xe2\\x80\\xa8',
  '\\xf0\\x9f\\x98\\x80',
  '\\xf4\\x90\\x80\\x80',
  '\\xff',
  '\\xcd\\xb8',
  'café',
  '\u0378',
  '\u00ad',
  '😀',
  '\ufffd',
  '\t',
  '\x01',
  '\x7f',
  '\r',
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function number(next: () => number): string {
  const roll = next();
  if (roll < 0.6) return String(Math.floor(next() * 5_000_000_000));
  if (roll < 0.7) return String(Math.floor(next() * 16));
  if (roll < 0.75) return '9007199254740991';
  if (roll < 0.8) return '9007199254740992';
  if (roll < 0.85) return '0'.repeat(20) + '1';
  if (roll < 0.9) return '0'.repeat(19) + '7';
  if (roll < 0.95) return '';
  return '-1';
}

/** One random line: mostly records, with continuation lines, garbage and damaged headers. */
function line(next: () => number, seq: { value: number }): Buffer {
  const roll = next();
  if (roll < 0.08) return Buffer.from(` SUBSYSTEM=usb${next() < 0.5 ? '' : '\r'}`);
  if (roll < 0.12) return Buffer.from(Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 256)).filter((byte) => byte !== 0x0a && byte !== 0));
  if (roll < 0.14) return Buffer.alloc(0);
  seq.value += next() < 0.1 ? Math.floor(next() * 5) : 1;
  const header =
    roll < 0.2
      ? `${number(next)},${number(next)},${number(next)}`
      : `${Math.floor(next() * 200)},${next() < 0.05 ? number(next) : seq.value},${Math.floor(next() * 1e12)}`;
  const flags = pick(next, [',-', ',-', ',c', ',+,more', '', ',\x01', ',caller=T1']);
  const parts: string[] = [];
  const count = Math.floor(next() * 8);
  for (let i = 0; i < count; i++) parts.push(pick(next, TEXT_PIECES));
  const separator = next() < 0.97 ? ';' : '';
  return Buffer.from(`${header}${flags}${separator}${parts.join('')}${next() < 0.05 ? '\r' : ''}`);
}

function randomInput(next: () => number): Buffer {
  const seq = { value: Math.floor(next() * 100) };
  const parts: Buffer[] = [];
  const lines = 1 + Math.floor(next() * 60);
  for (let i = 0; i < lines; i++) {
    parts.push(line(next, seq));
    if (i < lines - 1 || next() < 0.7) parts.push(Buffer.from([next() < 0.9 ? 0x0a : 0]));
  }
  return Buffer.concat(parts);
}

interface Formatted {
  readonly text: string;
  readonly lost: number;
  readonly skipped: number;
}

/** Formats `input` in chunks cut at `cuts`, as the batch reader does: unfinished lines carried, the last one formatted at the end. */
function formatInChunks(input: Buffer, cuts: readonly number[], color: boolean, track: boolean, engine: KmsgFormatterEngine, wasm?: ReturnType<typeof loadWasmDmesgFormatter>): Formatted {
  const stats = createSourceStats();
  const base = createKmsgLineFormatter(color, stats, track, engine);
  const state = wasm === undefined ? base : { ...base, wasm };
  state.lostNote = (count) => `-- ${count} lost --\n`;
  const out = new ByteWriter(256);
  let carried = Buffer.alloc(0);
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    const chunk = Buffer.concat([carried, input.subarray(from, cut)]);
    from = cut;
    const rest = formatKmsgLines(chunk, 0, chunk.length, out, state);
    carried = Buffer.from(chunk.subarray(rest));
  }
  state.scratch.segfaultPossible = color;
  formatLine(carried, 0, carried.length, out, state);
  return { text: out.view().toString('latin1'), lost: stats.lostRecords, skipped: stats.skippedLines };
}

function randomCuts(next: () => number, length: number): number[] {
  const cuts = Array.from({ length: Math.floor(next() * 4) }, () => Math.floor(next() * length));
  return cuts.sort((a, b) => a - b);
}

describe('the WebAssembly kernel log formatter', () => {
  it('prints what the TypeScript formatter prints, counts and notes included, on 2,000 random inputs', () => {
    let compared = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const next = random(seed);
      const input = randomInput(next);
      const cuts = randomCuts(next, input.length);
      const color = next() < 0.5;
      const track = next() < 0.5;
      const theirs = formatInChunks(input, cuts, color, track, 'typescript');
      const ours = formatInChunks(input, cuts, color, track, 'wasm');
      if (ours.text !== theirs.text || ours.lost !== theirs.lost || ours.skipped !== theirs.skipped) {
        expect({ seed, input: input.toString('latin1'), ...ours }).toEqual({ seed, input: input.toString('latin1'), ...theirs });
      }
      compared += theirs.text.length;
    }
    expect(compared).toBeGreaterThan(500_000);
  });

  it('flushes its output between lines when the output region is small, and prints the same', () => {
    // Room for the longest line of the input and no more: the region fills, is copied out, is refilled.
    let longest = 0;
    const small = loadWasmDmesgFormatter(() => longest * 8 + 128);
    let flushed = 0;
    for (let seed = 5000; seed < 5300; seed++) {
      const input = randomInput(random(seed));
      longest = Math.max(...input.toString('latin1').split(/[\n\0]/).map((text) => text.length));
      const theirs = formatInChunks(input, [], true, true, 'typescript');
      expect(formatInChunks(input, [], true, true, 'wasm', small)).toEqual(theirs);
      if (theirs.text.length > longest * 8 + 128) flushed++;
    }
    expect(flushed).toBeGreaterThan(50);
  });

  it('when a call fails (a trap), the TypeScript formatter goes on from where it stopped: nothing lost or printed twice', () => {
    let failures = 0;
    for (let seed = 9000; seed < 9200; seed++) {
      const next = random(seed);
      const input = randomInput(next);
      const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(DMESG_WASM_BASE64, 'base64')), { env: { printable: (codePoint: number) => (isPrintableCodePoint(codePoint) ? 1 : 0) } });
      const real = instance.exports as Record<string, unknown> & { format: (...args: number[]) => number };
      const failAt = 1 + Math.floor(next() * 4);
      let calls = 0;
      const exports = {
        ...real,
        format: (...args: number[]): number => {
          if (++calls >= failAt) throw new Error('trap: unreachable');
          return real.format(...args);
        },
      };
      let longest = 0;
      for (const text of input.toString('latin1').split(/[\n\0]/)) longest = Math.max(longest, text.length);
      // A small output region and lost-record notes make several calls per batch, so the failure can come midway.
      const failing = new (WasmDmesgFormatter as unknown as new (exports: unknown, room: (length: number) => number) => WasmDmesgFormatter)(exports, () => longest * 8 + 128);
      const cuts = randomCuts(next, input.length);
      const theirs = formatInChunks(input, cuts, true, true, 'typescript');
      expect(formatInChunks(input, cuts, true, true, 'wasm', failing), `seed ${seed}`).toEqual(theirs);
      if (failing.failed) failures++;
    }
    expect(failures).toBeGreaterThan(100);
  });

  it('formats lines of 1 MiB (its memory grows) and C1 or unassigned characters as escapes', () => {
    const long = Buffer.from(`6,1,5,-;${'\\xc2\\x85 \\xcd\\xb8 é x\\x0a '.repeat(40_000)}\n`);
    const theirs = formatInChunks(long, [], false, false, 'typescript');
    expect(theirs.text).toContain(Buffer.from('\\xc2\\x85 \\xcd\\xb8 é x\n').toString('latin1'));
    expect(formatInChunks(long, [], false, false, 'wasm')).toEqual(theirs);
  });
});

const hasClang = spawnSync('clang', ['--version']).status === 0 && spawnSync('wasm-ld', ['--version']).status === 0;

describe.skipIf(!hasClang)('the committed WebAssembly (skipped: no clang and wasm-ld)', () => {
  it('is what scripts/build-dmesg-wasm.sh builds from src/kmsg/wasm/dmesg-format.c', () => {
    const root = join(__dirname, '..', '..');
    const dir = mkdtempSync(join(tmpdir(), 'dmesg-wasm-'));
    try {
      const built = join(dir, 'dmesg-wasm-binary.ts');
      const result = spawnSync('bash', [join(root, 'scripts', 'build-dmesg-wasm.sh'), built], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(readFileSync(built, 'utf8')).toBe(readFileSync(join(root, 'src', 'kmsg', 'dmesg-wasm-binary.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
