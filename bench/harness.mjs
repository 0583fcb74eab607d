// Shared pieces of the benchmarks: one way to spawn and time a process for both sides, peak RSS in
// separate runs, medians, and the output check that fails a benchmark ("DIFFERENT").
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** `ha` as a user runs it from a checkout (`npm run bench` builds dist/ first). */
export const HA_BIN = join(root, 'bin', 'ha.js');
const TIME_TOOL = '/usr/bin/time';

let newestSourceMs;

/** The newest modification time (ms) of the sources under src/ and package.json (read once). */
function newestSource() {
  if (newestSourceMs !== undefined) return newestSourceMs;
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'src'));
  newestSourceMs = newest;
  return newest;
}

/**
 * Builds dist/ and its bundle (`npm run build`) when a source is newer than the bundle: a bench times what
 * `bin/ha.js` runs, and a dist/ left by an experiment once gave a figure nothing ships (`npm run bench` builds
 * first; `node bench/run.mjs NAME` and a single bench file did not).
 */
export function ensureBuilt() {
  const built = join(root, 'dist', 'ha-bundle.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) return;
  process.stdout.write('dist/ is older than src/: building (npm run build)\n');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

/**
 * True when the single executable `exe` exists and is not older than the sources; a stale one is left out
 * of the figures with a note (rebuild it with `npm run build:exe`).
 */
export function currentExecutable(exe) {
  if (!existsSync(exe)) return false;
  if (statSync(exe).mtimeMs >= newestSource()) return true;
  process.stdout.write(`${exe} is older than src/: left out (run npm run build:exe to measure it)\n`);
  return false;
}

/**
 * Puts binaries (the node binary, the single executable) into the page cache as a start leaves them: each
 * `[file, args]` is synced and dropped from the cache (`dd iflag=nocache count=0`, which drops a whole file's
 * clean pages, no root needed), then run once with `args`. A binary just written by `npm run build:exe` is
 * wholly in the cache, and the kernel then maps up to 64 KiB of cached neighbours around each page a
 * process touches (fault-around): the executable measured 63 MiB idle right after a build and 48 MiB once
 * read from disk, as on a device after boot. Both sides of a comparison go through this.
 */
export function naturalPageCache(runs) {
  for (const [file, args] of runs) {
    execFileSync('sync', [file]);
    execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
    execFileSync(file, args);
  }
}

/**
 * A private copy of the node binary in `dir`, the anchor of the single executable: like the executable, only
 * the measured runs read it, whereas the node binary itself is also read by the bench and everything else
 * it spawns (more of it cached, so more mapped around each touched page, and it starts faster).
 */
export function privateNodeCopy(dir) {
  const copy = join(dir, 'node');
  copyFileSync(realpathSync(process.execPath), copy);
  return copy;
}

/** Median of a list of numbers. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Spawns `command args` with stdout to `outPath` (or /dev/null) and resolves with the wall time in ms
 * from spawn to exit. The same function times both sides of every comparison.
 */
export function timeToExit(command, args, { env = process.env, outPath = '/dev/null', stdin = 'ignore' } = {}) {
  return new Promise((resolve, reject) => {
    const out = openSync(outPath, 'w');
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: [stdin, out, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.on('error', (error) => (closeSync(out), reject(error)));
    child.on('exit', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      closeSync(out);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.slice(-300)}`));
      else resolve(ms);
    });
  });
}

/**
 * Spawns `command args` with stdout piped and resolves with the ms from spawn until `done(output)` is true
 * (checked on each chunk), then kills it. The collected output is returned too.
 */
export function timeToOutput(command, args, done, { env = process.env, keep = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks = [];
    let tail = '';
    let finished = false;
    const finish = (error) => {
      if (finished) return;
      finished = true;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.kill('SIGKILL');
      if (error) reject(error);
      else resolve({ ms, output: keep ? Buffer.concat(chunks) : undefined });
    };
    child.stdout.on('data', (d) => {
      if (keep) chunks.push(d);
      tail = (tail + d.toString('latin1')).slice(-4096);
      if (done(tail)) finish();
    });
    child.on('error', finish);
    child.on('exit', (code) => finish(new Error(`${command} exited (${code}) before its last line; tail ${JSON.stringify(tail.slice(-200))}`)));
  });
}

/** Peak RSS (KiB) of `command args` in a run of its own, under /usr/bin/time (never inside a timed run). */
export async function peakRssKiB(command, args, { env = process.env, stdin = 'ignore' } = {}) {
  if (!existsSync(TIME_TOOL)) return undefined;
  const report = join(root, 'bench', `.rss-${process.pid}-${Date.now()}`);
  await timeToExit(TIME_TOOL, ['-f', '%M', '-o', report, command, ...args], { env, stdin });
  const { rmSync } = await import('node:fs');
  const kib = Number(readFileSync(report, 'utf8').trim().split('\n').pop());
  rmSync(report, { force: true });
  return kib;
}

/** Throws (the benchmark fails, `npm run bench` exits non-zero) when the two outputs differ. */
export function assertSameOutput(name, ours, theirs) {
  if (Buffer.compare(ours, theirs) === 0) return;
  let at = 0;
  while (at < ours.length && ours[at] === theirs[at]) at++;
  const near = (b) => JSON.stringify(b.subarray(Math.max(0, at - 40), at + 40).toString('latin1'));
  throw new Error(`${name}: output DIFFERENT at byte ${at} (ours ${ours.length} bytes, anchor ${theirs.length}): ours ${near(ours)}, anchor ${near(theirs)}`);
}

/** `x.xx ms` figures of both sides. */
export const figures = (ours, anchor, rounds) => `ours ${ours.toFixed(1)} ms, anchor ${anchor.toFixed(1)} ms, median of ${rounds}`;

/** Prints rows when a bench file is run directly; a failure exits non-zero. */
export async function runStandalone(run) {
  try {
    ensureBuilt();
    for (const r of await run()) process.stdout.write(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})\n`);
  } catch (error) {
    process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
