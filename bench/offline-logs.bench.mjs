// Reading the last 1,000 Core lines of a card's journal, as a person runs it: `ha --image CARD core logs
// -n 1000 --no-pager` against `journalctl --directory DIR -t homeassistant -n 1000 -o cat` on the same files
// on this machine's disk, each a whole process, in the same run; peak memory (max RSS) of both. The journal
// (500 MB by default, the HAOS cap SystemMaxUse=500M) is written by systemd-journal-remote, which rotates
// it into several files. Fails when the outputs differ (colours stripped, as the Supervisor does off a terminal).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const HA = join(root, 'bin', 'ha.js');
const JOURNAL_MB = Number(process.env['BENCH_JOURNAL_MB'] ?? 500);
const ROUNDS = 3;
const MACHINE_ID = '0123456789abcdef0123456789abcdef';
const IDENTS = ['homeassistant', 'hassio_supervisor', 'kernel', 'NetworkManager', 'systemd', 'hassio_dns', 'dropbear', 'hassio_audio'];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timed(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const [seconds, kb] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { ms: seconds * 1000, rssMb: kb / 1024, stdout: result.stdout };
}

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

/** Runs the offline logs benchmark. */
export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-logs-bench-'));
  try {
    const journal = join(dir, MACHINE_ID);
    mkdirSync(journal);
    await writeJournal(journal, JOURNAL_MB);
    const files = readdirSync(journal);
    const total = files.reduce((n, f) => n + statSync(join(journal, f)).size, 0);
    const image = join(dir, 'card.img');
    execFileSync(join(root, 'scripts', 'make-test-image'), [image, '--size', `${Math.ceil(JOURNAL_MB / 1024) + 2}G`, '--bcrypt-cost', '4'], { stdio: 'pipe' });
    const table = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })).partitiontable;
    const device = `${image}?offset=${table.partitions.find((p) => p.name === 'hassos-data').start * (table.sectorsize ?? 512)}`;
    const requests = ['mkdir /logs', `mkdir /logs/${MACHINE_ID}`, ...files.map((f) => `write ${join(journal, f)} /logs/${MACHINE_ID}/${f}`)];
    for (const request of requests) execFileSync('debugfs', ['-w', '-R', request, device], { stdio: 'ignore' });
    const ours = [];
    const anchor = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const o = timed(process.execPath, [HA, '--image', image, 'core', 'logs', '-n', '1000', '--no-pager']);
      const a = timed('journalctl', ['--directory', journal, '-t', 'homeassistant', '-n', '1000', '-o', 'cat', '--no-pager']);
      if (o.stdout !== a.stdout) throw new Error('DIFFERENT: ha --image core logs -n 1000 is not what journalctl prints');
      if (i > 0) { ours.push(o); anchor.push(a); } // the first round warms the page cache
    }
    const oursMs = median(ours.map((r) => r.ms));
    const anchorMs = median(anchor.map((r) => r.ms));
    return [{
      name: `offline-logs (core logs -n 1000, ${(total / 1048576).toFixed(0)} MB journal) vs journalctl`,
      ratio: oursMs / anchorMs,
      detail: `ours ${oursMs.toFixed(0)} ms on the card image, peak ${Math.max(...ours.map((r) => r.rssMb)).toFixed(0)} MB RSS; journalctl --directory ${anchorMs.toFixed(0)} ms, peak ${Math.max(...anchor.map((r) => r.rssMb)).toFixed(0)} MB RSS; ${files.length} files; outputs equal`,
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})`);
}
