// Memory of the console idle at its prompt against a bare node process, both in a pseudo-terminal
// (node-pty), each in a run of its own (no timing here). Goal: VmRSS within 1.2x of `node`.
// The console: `ha console --kmsg FILE` against the emulator (as on a HAOS host, the banner and the state
// notices ask a Supervisor that answers), Enter after the kernel log, then read /proc/PID/status once the
// banner and the prompt show and VmRSS has not moved for a second (the viewer preload has settled).
// Read twice: right after the prompt, and again 15 s on. V8 gives back memory once a program has been idle
// for about 8 s (its memory reducer: a full collection, the young generation shrunk); a console at its prompt
// spends nearly all its life in that second state, which is the one the goal is judged on.
// The anchor: `node -e "setInterval(()=>{},1e9)"`, read the same way at the same times.
// Measured twice: as `node bin/ha.js` (npm start, SSH on a dev machine) and, when `npm run build:exe` has made it,
// as the single executable out/exe/linux-<arch>/ha (what the appliance runs as its console). The node binary
// and the executable are first put in the page cache as a start from disk leaves them (naturalPageCache).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { currentExecutable, HA_BIN, median, naturalPageCache, privateNodeCopy, root, runStandalone } from './harness.mjs';

const require = createRequire(import.meta.url);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EXE = join(root, 'out', 'exe', `linux-${process.arch}`, 'ha');

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** How long after the prompt the second reading is taken: past V8's memory reducer (about 8 s idle). */
const IDLE_MS = 15_000;

/**
 * VmRSS/VmHWM of `pid` once VmRSS stayed the same for a second (`prompt`), and again once it has been
 * idle for IDLE_MS (`idle`).
 */
async function promptAndIdle(pid) {
  const shown = Date.now();
  const prompt = await settled(pid);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, shown + IDLE_MS - Date.now())));
  return { prompt, idle: await settled(pid) };
}

/** Resolves with VmRSS/VmHWM of `pid` once VmRSS stayed the same for `quietMs` (polled every 100 ms). */
function settled(pid, quietMs = 1000) {
  return new Promise((resolve) => {
    let last = memory(pid);
    let since = Date.now();
    const timer = setInterval(() => {
      const now = memory(pid);
      if (now.rss !== last.rss) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) {
        clearInterval(timer);
        resolve(now);
      }
    }, 100);
  });
}

function spawnPty(file, args, env) {
  const pty = require('node-pty');
  return pty.spawn(file, args, { name: 'xterm-256color', cols: 100, rows: 30, env });
}

/** Waits until the output of `term` matches `pattern`. */
function waitFor(term, pattern) {
  return new Promise((resolve) => {
    let seen = '';
    const sub = term.onData((d) => {
      seen += d;
      if (pattern.test(seen)) {
        sub.dispose();
        resolve();
      }
    });
  });
}

/** Starts the emulator process (a Supervisor that answers); resolves with its URL and a stop function. */
async function startEmulator(token) {
  const child = spawn(process.execPath, [join(root, 'dist', 'emulator', 'main.js')], { env: { ...process.env, SUPERVISOR_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { url: line.replace(/^listening /, ''), stop: () => child.kill('SIGTERM') };
}

/** `command` is [file, ...args before the ha arguments]: node and bin/ha.js, or the single executable. */
async function idleConsole(kmsg, home, supervisor, command) {
  const env = { ...process.env, HOME: home, SUPERVISOR_ENDPOINT: supervisor.url, SUPERVISOR_TOKEN: supervisor.token, NO_COLOR: '1' };
  const term = spawnPty(command[0], [...command.slice(1), 'console', '--kmsg', kmsg], env);
  try {
    await waitFor(term, /Booting Linux/);
    term.write('\r');
    await waitFor(term, /Host name:[\s\S]*ha > /);
    return await promptAndIdle(term.pid);
  } finally {
    term.kill('SIGKILL');
  }
}

async function bareNode(nodeBinary = process.execPath) {
  const term = spawnPty(nodeBinary, ['-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1e9)'], process.env);
  try {
    await waitFor(term, /ready/);
    return await promptAndIdle(term.pid);
  } finally {
    term.kill('SIGKILL');
  }
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-bench-idle-'));
  try {
    const kmsg = join(dir, 'boot.kmsg');
    writeFileSync(kmsg, '6,1,1000000,-;Booting Linux on physical CPU 0x0\n');
    const token = randomBytes(16).toString('hex');
    const emulator = await startEmulator(token);
    const hasExe = currentExecutable(EXE);
    const anchorNode = hasExe ? privateNodeCopy(dir) : undefined;
    naturalPageCache([[realpathSync(process.execPath), ['-e', '0']], ...(hasExe ? [[EXE, ['--version']], [anchorNode, ['-e', '0']]] : [])]);
    const ours = [];
    const exe = [];
    const theirs = [];
    const exeAnchor = [];
    try {
      for (let i = 0; i < ROUNDS; i++) {
        theirs.push(await bareNode());
        ours.push(await idleConsole(kmsg, dir, { url: emulator.url, token }, [process.execPath, HA_BIN]));
        if (hasExe) {
          exe.push(await idleConsole(kmsg, dir, { url: emulator.url, token }, [EXE]));
          exeAnchor.push(await bareNode(anchorNode));
        }
      }
    } finally {
      emulator.stop();
    }
    const mib = (kib) => (kib / 1024).toFixed(1);
    const row = (name, runs, anchor, when) => {
      const o = median(runs.map((m) => m[when].rss));
      const t = median(anchor.map((m) => m[when].rss));
      const hwm = (list) => mib(median(list.map((m) => m[when].hwm)));
      return {
        name: `${name}, ${when === 'idle' ? `idle ${IDLE_MS / 1000} s` : 'at the prompt'}`,
        ratio: o / t,
        detail: `VmRSS ${mib(o)} vs ${mib(t)} MiB, VmHWM ${hwm(runs)} vs ${hwm(anchor)} MiB, median of ${ROUNDS}, banner from the emulator; goal <= 1.2x${when === 'idle' ? '' : ' (judged idle)'}`,
      };
    };
    const rows = (name, runs, anchor) => [row(name, runs, anchor, 'prompt'), row(name, runs, anchor, 'idle')];
    return [
      ...rows('idle console RSS vs bare node (pty), node bin/ha.js', ours, theirs),
      ...(hasExe ? rows('idle console RSS vs bare node (pty), single executable (anchor: a private copy of node)', exe, exeAnchor) : []),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(run);
