// `ha core logs -f` of 1,000,000 entries from the emulator through our client, against curl reading the
// same endpoint (goal: at most 1.5x), plus our peak RSS to show memory stays flat while streaming.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = 1_000_000;
const ROUNDS = 5;
/** A longer run: peak RSS equal to the 1M run's shows memory does not grow with the stream. */
const LONG_ENTRIES = 3_000_000;
const TIME_TOOL = '/usr/bin/time';

/** Starts the emulator process; resolves with its URL and a stop function. */
async function startEmulator(token, entries) {
  const child = spawn(process.execPath, [join(root, 'dist', 'emulator', 'main.js'), '--follow-end-after', String(entries)], {
    env: { ...process.env, SUPERVISOR_TOKEN: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { url: line.replace(/^listening /, ''), stop: () => child.kill('SIGTERM') };
}

/** Runs a command with stdout to /dev/null; resolves with wall time (ms) and, under /usr/bin/time -v, peak RSS (KiB). */
function timed(command, args, env, measureRss) {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const useTime = measureRss && existsSync(TIME_TOOL);
    const [file, argv] = useTime ? [TIME_TOOL, ['-v', command, ...args]] : [command, args];
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { env: { ...process.env, ...env }, stdio: ['ignore', devNull, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      closeSync(devNull);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`${command} exited with ${code}: ${stderr.slice(-300)}`));
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ ms, rssKiB: rss ? Number(rss[1]) : undefined });
    });
  });
}

/** Our side: `ha core logs -f`, or a small client script while bin/ is not ready. */
function oursCommand(url) {
  if (existsSync(join(root, 'dist', 'bin', 'main.js'))) {
    return [process.execPath, [join(root, 'bin', 'ha.js'), '--endpoint', url, 'core', 'logs', '-f', '--no-pager']];
  }
  const script = `require(${JSON.stringify(join(root, 'dist', 'supervisor', 'client.js'))})
    .createSupervisorClient({ endpoint: ${JSON.stringify(url)}, token: process.env.SUPERVISOR_TOKEN })
    .openLogs({ service: 'core', follow: true, verbose: false }).then((s) => s.pipe(process.stdout));`;
  return [process.execPath, ['-e', script]];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  const token = randomBytes(16).toString('hex');
  const emulator = await startEmulator(token, ENTRIES);
  try {
    const env = { SUPERVISOR_TOKEN: token, NO_COLOR: '1' };
    // The token goes through the environment (never argv): a shell expands it into curl's header.
    // printf is a shell builtin and curl reads the header from stdin (`-H @-`), so no argv carries it.
    const curl = ['sh', ['-c', 'printf "Authorization: Bearer %s\\n" "$SUPERVISOR_TOKEN" | exec curl -fsSN -H @- "$0/core/logs/follow"', emulator.url]];
    const [ourCmd, ourArgs] = oursCommand(emulator.url);
    const anchor = [];
    const ours = [];
    const rss = [];
    for (let i = 0; i < ROUNDS; i++) {
      anchor.push((await timed(curl[0], curl[1], env, false)).ms);
      const r = await timed(ourCmd, ourArgs, env, true);
      ours.push(r.ms);
      if (r.rssKiB !== undefined) rss.push(r.rssKiB);
      if (process.env.BENCH_VERBOSE) console.error(`round ${i}: anchor ${anchor[i].toFixed(0)} ms, ours ${r.ms.toFixed(0)} ms`);
    }
    const longEmulator = await startEmulator(token, LONG_ENTRIES);
    let longRss;
    try {
      const [longCmd, longArgs] = oursCommand(longEmulator.url);
      longRss = (await timed(longCmd, longArgs, env, true)).rssKiB;
    } finally {
      longEmulator.stop();
    }
    const a = median(anchor);
    const o = median(ours);
    const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
    const peak = rss.length > 0 ? `, our peak RSS ${mib(Math.max(...rss))} (${mib(longRss ?? 0)} for 3M entries)` : '';
    return [
      {
        name: 'core-logs-follow: 1M entries vs curl',
        ratio: o / a,
        detail: `ours ${o.toFixed(0)} ms, anchor ${a.toFixed(0)} ms${peak}, goal <= 1.5x`,
      },
    ];
  } finally {
    emulator.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})`);
}
