// Reading the last 1,000 Core lines of a card's journal, as a person runs it: `ha --image CARD core logs
// -n 1000 --no-pager` against `journalctl --directory DIR -t homeassistant -n 1000 -o cat` on the same files
// on this machine's disk, each a whole process spawned the same way (harness timeToExit), interleaved, in the
// same run; peak memory (max RSS) of both in separate runs. The journal (500 MB by default, the HAOS cap
// SystemMaxUse=500M) is written by systemd-journal-remote, which rotates it into several files. Fails when the
// outputs differ. BENCH_WORK_DIR=DIR keeps (and reuses) the card and journal between runs.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HA_BIN, assertSameOutput, median, peakRssKiB, root, runStandalone, timeToExit } from './harness.mjs';

const JOURNAL_MB = Number(process.env['BENCH_JOURNAL_MB'] ?? 500);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const MACHINE_ID = '0123456789abcdef0123456789abcdef';
const IDENTS = ['homeassistant', 'hassio_supervisor', 'kernel', 'NetworkManager', 'systemd', 'hassio_dns', 'dropbear', 'hassio_audio'];

/** Streams entries in the export format into systemd-journal-remote until the files reach `mb`. */
async function writeJournal(dir, mb) {
  const child = spawn('/lib/systemd/systemd-journal-remote', [`--output=${join(dir, 'system.journal')}`, '--compress=no', '-'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const done = new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`systemd-journal-remote: ${code}`)))));
  const size = () => readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const boot = (i) => (i < 400_000 ? 'a1' : 'b2').repeat(16);
  let i = 0;
  while (i === 0 || (i % 50_000 !== 0) || size() < mb * 1024 * 1024) {
    let chunk = '';
    for (let k = 0; k < 1000; k++, i++) {
      const ident = IDENTS[i % IDENTS.length];
      chunk += `__REALTIME_TIMESTAMP=${1_764_000_000_000_000 + i * 50_000}\n__MONOTONIC_TIMESTAMP=${1_000_000 + i * 50_000}\n_BOOT_ID=${boot(i)}\n_HOSTNAME=homeassistant\n`
        + `SYSLOG_IDENTIFIER=${ident}\n_PID=${100 + (i % 8)}\nCONTAINER_NAME=${ident}\nPRIORITY=6\n_TRANSPORT=journal\n`
        + `MESSAGE=2026-11-29 12:00:00.000 INFO (MainThread) [homeassistant.components.sensor] ${ident} entry ${i}: ${'x'.repeat(80 + (i % 120))}\n\n`;
    }
    if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  await done;
}

/** The journal folder and a HAOS-layout card holding it in /logs/<machine-id>/ (made once per work dir). */
async function prepare(dir) {
  const journal = join(dir, MACHINE_ID);
  const image = join(dir, 'card.img');
  if (existsSync(join(dir, 'ready'))) return { journal, image };
  rmSync(journal, { recursive: true, force: true });
  mkdirSync(journal);
  await writeJournal(journal, JOURNAL_MB);
  const files = readdirSync(journal);
  execFileSync(join(root, 'scripts', 'make-test-image'), [image, '--size', `${Math.ceil(JOURNAL_MB / 1024) + 2}G`, '--bcrypt-cost', '4'], { stdio: 'pipe' });
  const table = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })).partitiontable;
  const device = `${image}?offset=${table.partitions.find((p) => p.name === 'hassos-data').start * (table.sectorsize ?? 512)}`;
  const requests = ['mkdir /logs', `mkdir /logs/${MACHINE_ID}`, ...files.map((f) => `write ${join(journal, f)} /logs/${MACHINE_ID}/${f}`)];
  execFileSync('debugfs', ['-w', '-f', '-', device], { input: `${requests.join('\n')}\n`, stdio: ['pipe', 'ignore', 'ignore'] });
  execFileSync('touch', [join(dir, 'ready')]);
  return { journal, image };
}

/** Runs the offline logs benchmark. */
export async function run() {
  const keep = process.env['BENCH_WORK_DIR'];
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'ha-logs-bench-'));
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  try {
    const { journal, image } = await prepare(dir);
    const total = readdirSync(journal).reduce((n, f) => n + statSync(join(journal, f)).size, 0);
    const ours = [process.execPath, [HA_BIN, '--image', image, 'core', 'logs', '-n', '1000', '--no-pager']];
    const anchor = ['journalctl', ['--directory', journal, '-t', 'homeassistant', '-n', '1000', '-o', 'cat', '--no-pager']];
    const oursOut = join(dir, 'ours.out');
    const anchorOut = join(dir, 'anchor.out');
    // One warm-up each (page cache), outputs compared, then interleaved timed rounds.
    await timeToExit(...ours, { outPath: oursOut });
    await timeToExit(...anchor, { outPath: anchorOut });
    assertSameOutput('ha --image core logs -n 1000 vs journalctl', readFileSync(oursOut), readFileSync(anchorOut));
    const oursMs = [];
    const anchorMs = [];
    for (let i = 0; i < ROUNDS; i++) {
      oursMs.push(await timeToExit(...ours));
      anchorMs.push(await timeToExit(...anchor));
    }
    const oursRss = await peakRssKiB(...ours);
    const anchorRss = await peakRssKiB(...anchor);
    const o = median(oursMs);
    const a = median(anchorMs);
    const mib = (kib) => (kib === undefined ? '?' : (kib / 1024).toFixed(0));
    return [{
      name: `offline-logs (core logs -n 1000, ${(total / 1048576).toFixed(0)} MB journal) vs journalctl`,
      ratio: o / a,
      detail: `ours ${o.toFixed(0)} ms on the card image, journalctl --directory ${a.toFixed(0)} ms, median of ${ROUNDS} interleaved; peak RSS ${mib(oursRss)} vs ${mib(anchorRss)} MiB (separate runs); ${readdirSync(journal).length} files; outputs equal`,
    }];
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(run);
