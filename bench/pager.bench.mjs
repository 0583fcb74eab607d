// The log viewer against `less` on the same 1,000,000-line file, both in a real pty (goal: at least as fast).
// - pager-first-screen: from the key that opens the viewer to its first screen painted. Ours runs in an
//   already running node in the state of the console at its prompt (the viewer module loaded at idle, as
//   the console does; Node's file-stream internals in use); less is exec'd by a waiting shell at that key. Ratio = less time / our time (>= 1 means we are at least as fast).
// - pager-first-screen-cold: the same from process spawn (node start-up included vs less's).
// - pager-peak-rss: peak RSS after jumping to the end (the whole log read): less / ours (ours keeps a ring
//   of the newest 100,000 lines; less re-reads its file from disk).
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, openSync, writeSync, closeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const pty = require('node-pty');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = join(root, 'dist', 'pager', 'pager-demo.js');
const LINES = 1_000_000;
const COLS = 120;
const ROWS = 40;
const ROUNDS = 5;
const TIMEOUT_MS = 30_000;

const entry = (n) => `entry ${String(n).padStart(7, '0')}`;

function writeLog(path) {
  const fd = openSync(path, 'w');
  const levels = ['INFO', 'WARNING', 'ERROR', 'DEBUG'];
  for (let start = 1; start <= LINES; start += 10_000) {
    let chunk = '';
    for (let n = start; n < start + 10_000 && n <= LINES; n++) {
      chunk += `2024-05-01 12:00:00.000 ${levels[n % 4]} (MainThread) [homeassistant.components.bench] ${entry(n)} something happened\n`;
    }
    writeSync(fd, chunk);
  }
  closeSync(fd);
}

/** Spawns `file args` in a pty; helpers to wait for text in its output and time it. */
function session(file, args) {
  const term = pty.spawn(file, args, { name: 'xterm-256color', cols: COLS, rows: ROWS, env: { PATH: process.env.PATH, TERM: 'xterm-256color', LANG: 'C.UTF-8' } });
  let tail = '';
  let all = '';
  let waiter;
  term.onData((data) => {
    tail = (tail + data).slice(-8192);
    all = (all + data).slice(-65536);
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
    /** Resolves with the hrtime when `text` appears in the output (from now on). */
    waitFor(text) {
      tail = '';
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${JSON.stringify(text)}; output tail: ${JSON.stringify(all.slice(-300))}`)), TIMEOUT_MS);
        waiter = { text, resolve: (t) => (clearTimeout(timer), resolve(t)) };
      });
    },
    kill: () => exited || term.kill('SIGKILL'),
  };
}

/** One measured round: ms from the opening key to the first screen, cold ms from spawn, and peak RSS (KiB) after `G`. */
async function round(kind, file, rssFile) {
  const spawnedAt = process.hrtime.bigint();
  const s = kind === 'ours'
    ? session(process.execPath, [DEMO, '--file', file, '--wait-key', '--warm'])
    : session('/bin/sh', ['-c', 'echo ready; read x; exec /usr/bin/time -f "%M" -o "$1" less -R "$0"', file, rssFile]);
  try {
    // The last line of the first screen (rows - 1 text rows).
    const firstScreen = entry(ROWS - 1);
    await s.waitFor('ready');
    const painted = s.waitFor(firstScreen);
    const keyAt = process.hrtime.bigint();
    s.term.write('\r');
    const paintedAt = await painted;
    const end = s.waitFor(entry(LINES));
    s.term.write('G');
    await end;
    const exit = s.exit;
    s.term.write('q');
    await exit;
    const rssKiB = kind === 'ours'
      ? Number(/maxRssKiB=(\d+)/.exec(s.output().replace(/\s+/g, ''))?.[1])
      : Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    return { ms: Number(paintedAt - keyAt) / 1e6, coldMs: Number(paintedAt - spawnedAt) / 1e6, rssKiB };
  } finally {
    s.kill();
  }
}

/** Cold start: from spawn to the first screen, no waiting shell or key in between. */
async function coldRound(kind, file) {
  const startedAt = process.hrtime.bigint();
  const s = kind === 'ours' ? session(process.execPath, [DEMO, '--file', file]) : session('less', ['-R', file]);
  try {
    const paintedAt = await s.waitFor(entry(ROWS - 1));
    return Number(paintedAt - startedAt) / 1e6;
  } finally {
    s.kill();
    await s.exit;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  if (!existsSync('/usr/bin/less') || !existsSync('/usr/bin/time')) throw new Error('needs less and /usr/bin/time (apt-get install -y less time)');
  const dir = mkdtempSync(join(tmpdir(), 'ha-pager-bench-'));
  try {
    const file = join(dir, 'core.log');
    writeLog(file);
    const rows = { ours: [], less: [] };
    const cold = { ours: [], less: [] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const kind of ['less', 'ours']) {
        rows[kind].push(await round(kind, file, join(dir, `rss-${i}`)));
        cold[kind].push(await coldRound(kind, file));
      }
    }
    const ours = median(rows.ours.map((r) => r.ms));
    const less = median(rows.less.map((r) => r.ms));
    const oursCold = median(cold.ours);
    const lessCold = median(cold.less);
    const oursRss = Math.max(...rows.ours.map((r) => r.rssKiB));
    const lessRss = Math.max(...rows.less.map((r) => r.rssKiB));
    return [
      { name: 'pager-first-screen', ratio: less / ours, detail: `key to first screen of ${LINES} lines, ours ${ours.toFixed(1)} ms, less ${less.toFixed(1)} ms; higher is better` },
      { name: 'pager-first-screen-cold', ratio: lessCold / oursCold, detail: `process spawn to first screen, ours ${oursCold.toFixed(1)} ms (node start-up included), less ${lessCold.toFixed(1)} ms; higher is better` },
      { name: 'pager-peak-rss', ratio: lessRss / oursRss, detail: `peak RSS after G (whole log read), ours ${(oursRss / 1024).toFixed(1)} MiB (ring of 100000 lines), less ${(lessRss / 1024).toFixed(1)} MiB; higher is better` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) process.stdout.write(`${r.name}: ${r.ratio.toFixed(2)}x less (${r.detail})\n`);
  process.exit(0);
}
