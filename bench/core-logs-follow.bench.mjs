// `ha core logs -f --no-pager` of 1,000,000 entries from the emulator, against curl asking for the same
// bytes (same path, `?no_colors` as we ask on a non-colour output, same Accept header), both spawned
// directly with stdout to /dev/null (goal: at most 1.1x). The outputs are compared first; a difference
// fails the run. Peak RSS (goal: under 60 MiB, flat with length) is measured in separate runs at 1M and 3M.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { assertSameOutput, figures, HA_BIN, median, peakRssKiB, root, runStandalone, timeToExit } from './harness.mjs';

const ENTRIES = Number(process.env.BENCH_LOG_ENTRIES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** A longer run: peak RSS equal to the 1M run's shows memory does not grow with the stream. */
const LONG_ENTRIES = 3 * ENTRIES;

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

/** Both commands for an emulator at `url`; the token reaches curl through a header file (never argv). */
function commands(url, headerFile) {
  return {
    ours: [process.execPath, [HA_BIN, '--endpoint', url, 'core', 'logs', '-f', '--no-pager']],
    curl: ['curl', ['-fsSN', '-H', `@${headerFile}`, '-H', 'Accept: text/plain', `${url}/core/logs/follow?no_colors`]],
  };
}

/** Runs the benchmark: time ratio against curl, with peak RSS in the detail. */
export async function run() {
  const token = randomBytes(16).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'ha-bench-follow-'));
  const headerFile = join(dir, 'auth-header');
  writeFileSync(headerFile, `Authorization: Bearer ${token}\n`, { mode: 0o600 });
  const env = { ...process.env, SUPERVISOR_TOKEN: token, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const emulator = await startEmulator(token, ENTRIES);
  try {
    const { ours, curl } = commands(emulator.url, headerFile);
    await timeToExit(...ours, { env, outPath: join(dir, 'ours.txt') });
    await timeToExit(...curl, { env, outPath: join(dir, 'curl.txt') });
    assertSameOutput('core logs -f', readFileSync(join(dir, 'ours.txt')), readFileSync(join(dir, 'curl.txt')));
    const bytes = readFileSync(join(dir, 'ours.txt')).length;
    rmSync(join(dir, 'ours.txt'));
    rmSync(join(dir, 'curl.txt'));
    const anchor = [];
    const times = [];
    for (let i = 0; i < ROUNDS; i++) {
      anchor.push(await timeToExit(...curl, { env }));
      times.push(await timeToExit(...ours, { env }));
    }
    const rss = await peakRssKiB(...ours, { env });
    const curlRss = await peakRssKiB(...curl, { env });
    const longEmulator = await startEmulator(token, LONG_ENTRIES);
    let longRss;
    try {
      const long = commands(longEmulator.url, headerFile);
      longRss = await peakRssKiB(...long.ours, { env });
    } finally {
      longEmulator.stop();
    }
    const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
    return [
      {
        name: `core logs -f, ${ENTRIES / 1e6}M entries vs curl`,
        ratio: median(times) / median(anchor),
        detail: `same ${(bytes / 1048576).toFixed(0)} MiB (?no_colors both), output identical; ${figures(median(times), median(anchor), ROUNDS)}; peak RSS ${mib(rss)} (${mib(longRss)} at ${LONG_ENTRIES / 1e6}M), curl ${mib(curlRss)}, separate runs; goal <= 1.1x, < 60 MiB`,
      },
    ];
  } finally {
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(run);
