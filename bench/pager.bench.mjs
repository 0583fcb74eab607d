// The log viewer as a user opens it, against `less` started directly on the same lines, both in a real
// pty of the same size, spawned the same way (no wrapper program on either side). Ours is `ha dmesg`
// (the viewer on a terminal) with HA_CONSOLE_KMSG pointing at 1,000,000 kmsg records; less reads a file of
// the very lines it shows (`ha dmesg --no-pager` of the same records), so ours also parses and formats.
// - warm: from the Enter that runs `dmesg` at the console's prompt (`ha console`, idle at `ha > `) to the first
//   screen painted, against the Enter that makes a waiting shell exec `less -R FILE` to its first screen.
//   Labelled warm; paired with the cold row.
// - cold: from spawning `ha dmesg` to its first screen, against spawning `less -R FILE`.
// - 4th open: the warm case after the console has opened and closed the viewer three times (its code has run
//   before), against the same less rounds: how far the first-run cost of the code explains the warm figure.
// - memory (separate runs): peak RSS (VmHWM, reset when the console is idle at its prompt, so the
//   kernel-log phase before does not count) after `G` (everything read) over the console idle at its
//   prompt (goal: within 16 MiB), and less's.
// Ratio = less time / our time: above 1 we are faster (goal 1.2x). Each first screen is checked for the
// same first lines on both sides, else the run fails with DIFFERENT.
import { createRequire } from 'node:module';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HA_BIN, median, runStandalone, timeToExit } from './harness.mjs';

const require = createRequire(import.meta.url);
const pty = require('node-pty');
const LINES = Number(process.env.BENCH_PAGER_LINES ?? 1_000_000);
const COLS = 120;
const ROWS = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TIMEOUT_MS = 60_000;
const MEMORY_RUNS = 3;
// The console loads the viewer 300 ms after its first prompt (src/console/run-console.ts); wait past that.
const IDLE_PRELOAD_MS = 1000;

const entry = (n) => `entry ${String(n).padStart(7, '0')}`;

/** LINES kmsg records, one per viewer line. */
function writeKmsg(path) {
  const fd = openSync(path, 'w');
  for (let start = 1; start <= LINES; start += 10_000) {
    let chunk = '';
    for (let n = start; n < start + 10_000 && n <= LINES; n++) {
      chunk += `${[6, 4, 3, 7][n % 4]},${n},${n * 1733},-;homeassistant bench: ${entry(n)} something happened on the bus\n`;
    }
    writeSync(fd, chunk);
  }
  closeSync(fd);
}

/** Spawns `file args` in a pty; resolves waits when text appears in its output. */
function session(file, args, env) {
  const term = pty.spawn(file, args, { name: 'xterm-256color', cols: COLS, rows: ROWS, env });
  let tail = '';
  let all = '';
  let waiter;
  term.onData((data) => {
    tail = (tail + data).slice(-16384);
    all = (all + data).slice(-262144);
    if (waiter && tail.includes(waiter.text)) {
      const { resolve } = waiter;
      waiter = undefined;
      resolve(process.hrtime.bigint());
    }
  });
  let exited = false;
  const exit = new Promise((resolve) => term.onExit(() => ((exited = true), resolve())));
  return {
    term,
    exit,
    output: () => all,
    /** Resolves with the hrtime when `text` appears in the output from now on. */
    waitFor(text) {
      tail = '';
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${JSON.stringify(text)}; tail: ${JSON.stringify(all.slice(-300))}`)), TIMEOUT_MS);
        waiter = { text, resolve: (t) => (clearTimeout(timer), resolve(t)) };
      });
    },
    /** VmHWM or VmRSS of the pty's process, KiB. */
    memory(field) {
      const status = readFileSync(`/proc/${term.pid}/status`, 'utf8');
      return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
    },
    /** Resets VmHWM to the current RSS (Linux clear_refs 5; needs root or the same user). */
    resetPeak() {
      writeFileSync(`/proc/${term.pid}/clear_refs`, '5');
    },
    async close() {
      if (!exited) term.kill('SIGKILL');
      await exit;
    },
  };
}

/** The console as the login shell runs it (`ha console`) on the same records (Enter ends its kernel-log phase at once). */
function consoleSession(ctx) {
  return session(process.execPath, [HA_BIN, 'console', '--kmsg', ctx.env.HA_CONSOLE_KMSG], ctx.env);
}

/** A second at the prompt, as a person takes before the next command (the console loads the viewer then). */
async function idleAtPrompt() {
  const loaded = Date.now() + IDLE_PRELOAD_MS;
  while (Date.now() < loaded) await new Promise((resolve) => setImmediate(resolve));
}

/** Passes the kernel-log phase and waits at the prompt until the console has loaded the viewer at idle. */
async function consoleReady(s) {
  await s.waitFor('Press Enter');
  const prompt = s.waitFor('ha > ');
  s.term.write('\r');
  await prompt;
  await idleAtPrompt();
}

/** Types `dmesg` at the prompt (not Enter) and waits for its echo. */
async function typeDmesg(s) {
  const echoed = s.waitFor('dmesg');
  s.term.write('dmesg');
  await echoed;
}

/** Fails with DIFFERENT unless every entry of the first screen (1 .. rows-1) was drawn. */
function checkFirstScreen(kind, output) {
  const plain = output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  for (let n = 1; n < ROWS; n++) if (!plain.includes(entry(n))) throw new Error(`pager ${kind}: first screen DIFFERENT: ${entry(n)} missing`);
}

/**
 * Warm: ms from the Enter that opens the viewer to its first screen. With `opens` > 1 the console opens and
 * closes (q) the viewer that many times and the last open is timed: the same code run before, as after a person
 * has used the viewer a few times (less has no such state: its side is always a fresh exec).
 */
async function warmRound(kind, ctx, opens = 1) {
  const s = kind === 'ours' ? consoleSession(ctx) : session('/bin/sh', ['-c', 'echo ready; read x; exec less -R "$0"', ctx.file], ctx.env);
  try {
    if (kind === 'ours') {
      await consoleReady(s);
      for (let n = 1; n < opens; n++) {
        await typeDmesg(s);
        const painted = s.waitFor(entry(ROWS - 1));
        s.term.write('\r');
        await painted;
        const prompt = s.waitFor('ha > ');
        s.term.write('q');
        await prompt;
        await idleAtPrompt();
      }
      await typeDmesg(s);
    } else await s.waitFor('ready');
    const painted = s.waitFor(entry(ROWS - 1));
    const keyAt = process.hrtime.bigint();
    s.term.write('\r');
    const ms = Number((await painted) - keyAt) / 1e6;
    checkFirstScreen(`${kind} warm`, s.output());
    return ms;
  } finally {
    await s.close();
  }
}

/** Cold: ms from spawn to the first screen. */
async function coldRound(kind, ctx) {
  const started = process.hrtime.bigint();
  const s = kind === 'ours' ? session(process.execPath, [HA_BIN, 'dmesg'], ctx.env) : session('less', ['-R', ctx.file], ctx.env);
  try {
    const ms = Number((await s.waitFor(entry(ROWS - 1))) - started) / 1e6;
    checkFirstScreen(`${kind} cold`, s.output());
    return ms;
  } finally {
    await s.close();
  }
}

/** Memory (a run of its own): peak RSS after G, and for ours the console's RSS idle at its prompt before. */
async function memoryRun(kind, ctx) {
  const s = kind === 'ours' ? consoleSession(ctx) : session('/bin/sh', ['-c', 'echo ready; read x; exec less -R "$0"', ctx.file], ctx.env);
  try {
    let idleKiB;
    if (kind === 'ours') {
      await consoleReady(s);
      idleKiB = s.memory('VmRSS');
      s.term.write('dmesg');
    } else await s.waitFor('ready');
    // The peak from here on: the console's kernel-log phase before (its own peak) is not the viewer's.
    s.resetPeak();
    const first = s.waitFor(entry(ROWS - 1));
    s.term.write('\r');
    await first;
    const end = s.waitFor(entry(LINES));
    s.term.write('G');
    await end;
    return { idleKiB, peakKiB: s.memory('VmHWM') };
  } finally {
    await s.close();
  }
}

/** Runs the benchmark: warm and cold first screen, and memory. */
export async function run() {
  if (!existsSync('/usr/bin/less')) throw new Error('needs less (apt-get install -y less)');
  const dir = mkdtempSync(join(tmpdir(), 'ha-pager-bench-'));
  try {
    const kmsg = join(dir, 'records.kmsg');
    writeKmsg(kmsg);
    const env = { PATH: process.env.PATH, TERM: 'xterm-256color', LANG: 'C.UTF-8', HOME: dir, SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9', HA_CONSOLE_KMSG: kmsg };
    // The lines the viewer shows, coloured as on this terminal: what less is given.
    const file = join(dir, 'dmesg.txt');
    await timeToExit(process.execPath, [HA_BIN, 'dmesg', '--no-pager'], { env: { ...env, FORCE_COLOR: '1' }, outPath: file });
    const ctx = { file, env };
    const warm = { ours: [], less: [] };
    const cold = { ours: [], less: [] };
    const fourth = { ours: [], less: warm.less };
    for (let i = 0; i < ROUNDS; i++) {
      for (const kind of ['less', 'ours']) {
        warm[kind].push(await warmRound(kind, ctx));
        cold[kind].push(await coldRound(kind, ctx));
      }
      fourth.ours.push(await warmRound('ours', ctx, 4));
    }
    // The peak varies by a MiB or more from run to run (when the collector runs): the median of three.
    const runs = [];
    for (let i = 0; i < MEMORY_RUNS; i++) runs.push(await memoryRun('ours', ctx));
    const over = (m) => m.peakKiB - m.idleKiB;
    runs.sort((a, b) => over(a) - over(b));
    const ours = runs[Math.floor(runs.length / 2)];
    const less = await memoryRun('less', ctx);
    const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
    const row = (name, xs, what) => ({
      name,
      ratio: median(xs.less) / median(xs.ours),
      detail: `${what}; ours ${median(xs.ours).toFixed(1)} ms, less ${median(xs.less).toFixed(1)} ms, median of ${ROUNDS}; higher is better, goal >= 1.2x`,
    });
    return [
      row(`viewer first screen, warm (console at its prompt), ${LINES / 1e6}M lines`, warm, 'Enter on `dmesg` at `ha > ` vs Enter making a waiting sh exec less -R FILE'),
      row(`viewer first screen, cold, ${LINES / 1e6}M lines`, cold, 'spawn of `ha dmesg` vs spawn of `less -R FILE`'),
      row(`viewer first screen, warm, 4th open in the same console, ${LINES / 1e6}M lines`, fourth, 'the 4th Enter on `dmesg` (opened and closed three times before) vs the same less rounds as the warm row'),
      {
        name: 'viewer peak RSS after G over the idle console',
        ratio: (ours.peakKiB - ours.idleKiB) / 1024,
        detail: `MiB over idle (ratio column), median of ${MEMORY_RUNS} runs (${runs.map((m) => (over(m) / 1024).toFixed(1)).join(', ')}); peak ${mib(ours.peakKiB)}, console idle ${mib(ours.idleKiB)}, less ${mib(less.peakKiB)}; VmHWM in separate runs; goal <= 16 MiB`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runStandalone(run);
  process.exit();
}
