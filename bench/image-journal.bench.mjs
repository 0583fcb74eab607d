// What the card's journal costs the commands people run on it, each against its anchor in the same run:
// - replay: a 1280 MiB hassos-data filesystem (HAOS's size) whose 4 MiB journal is full of committed
//   transactions (written by debugfs's own journal code, not replayed). `ha --image CARD auth list` on
//   that card minus the same command on the card after e2fsck's replay is the replay's share; the anchor is
//   `e2fsck -p -E journal_only` replaying the same file. Bytes read are summed from strace (pread64) on both
//   sides. Fails ("DIFFERENT") when the listing on the pulled card differs from the one after e2fsck.
// - write: `ha --image CARD auth reset` on that filesystem (one journal transaction) against the same
//   command on the same files in a filesystem without a journal (written in place between not-clean
//   marks, the careful path used before); time and bytes written (pwrite64).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const HA = join(root, 'bin', 'ha.js');
const ROUNDS = 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;

function makeFs(dir, name, journal) {
  const tree = join(dir, `tree-${name}`);
  const config = join(tree, 'supervisor', 'homeassistant');
  mkdirSync(config, { recursive: true });
  execFileSync(process.execPath, [join(root, 'scripts', 'make-test-image-storage.mjs'), config],
    { input: JSON.stringify({ cost: 4, users: [{ username: 'alice', password: 'alice-bench-password' }, { username: 'bob', password: 'bob-bench-password' }] }) });
  const image = join(dir, `${name}.img`);
  const features = journal ? 'orphan_file,metadata_csum_seed' : '^has_journal,metadata_csum_seed'; // orphan_file needs a journal
  execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'hassos-data', '-I', '256', '-O', features, ...(journal ? ['-J', 'size=4'] : []),
    '-E', 'root_owner=0:0', '-d', tree, image, '1280M'], { stdio: 'pipe' });
  return image;
}

/** Fills the journal with committed transactions of ~240 blocks each, as a busy device leaves it. */
function fillJournal(dir, image) {
  const perTransaction = 240;
  const data = Buffer.alloc(perTransaction * 4096);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
  const file = join(dir, 'tx.bin');
  writeFileSync(file, data);
  const requests = ['jo -c'];
  for (let t = 0; t < 4; t++) {
    const blocks = Array.from({ length: perTransaction }, (_, i) => 200_000 + t * perTransaction + i);
    requests.push(`jw -b ${blocks.join(',')} ${file}`);
  }
  requests.push('jc', '');
  execFileSync('debugfs', ['-w', '-f', '-', image], { input: requests.join('\n'), stdio: ['pipe', 'ignore', 'ignore'] });
}

/** Runs a command under strace, returning wall ms, stdout and the bytes its pread64/pwrite64 calls moved. */
function traced(command, args, env = {}) {
  const trace = join(tmpdir(), `ha-bench-trace-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const start = process.hrtime.bigint();
  const result = spawnSync('strace', ['-f', '-qq', '-o', trace, '-e', 'trace=pread64,pwrite64', command, ...args],
    { encoding: 'utf8', env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const lines = readFileSync(trace, 'utf8').split('\n');
  rmSync(trace, { force: true });
  const sum = (call) => lines.filter((l) => l.includes(`${call}(`)).reduce((n, l) => n + Math.max(0, Number(/= (\d+)/.exec(l)?.[1] ?? 0)), 0);
  return { ms, status: result.status, stdout: result.stdout, stderr: result.stderr, read: sum('pread64'), written: sum('pwrite64') };
}

function timed(command, args, input) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', input });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the journal benchmarks and returns one result per measurement. */
export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-journal-bench-'));
  try {
    const pulled = makeFs(dir, 'pulled', true);
    fillJournal(dir, pulled);
    const replayed = join(dir, 'replayed.img');
    copyFileSync(pulled, replayed);
    spawnSync('e2fsck', ['-fy', replayed], { stdio: 'ignore' });

    // Replay: ours inside the user's command, e2fsck's on its own.
    const list = (image) => timed(process.execPath, [HA, '--image', image, 'auth', 'list']);
    const withReplay = [];
    const without = [];
    const anchor = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const a = list(pulled);
      const b = list(replayed);
      if (a.status !== 0 || b.status !== 0) throw new Error(`auth list failed: ${a.stderr}${b.stderr}`);
      if (a.stdout !== b.stdout) throw new Error(`DIFFERENT: the pulled card lists\n${a.stdout}\nafter e2fsck's replay\n${b.stdout}`);
      const copy = join(dir, `e2fsck-${i}.img`);
      copyFileSync(pulled, copy);
      const start = process.hrtime.bigint();
      const e = spawnSync('e2fsck', ['-p', '-E', 'journal_only', copy], { stdio: 'ignore' });
      const ems = Number(process.hrtime.bigint() - start) / 1e6;
      rmSync(copy);
      if (e.status !== 0 && e.status !== 1) throw new Error(`e2fsck -p -E journal_only exited ${e.status}`);
      if (i > 0) { withReplay.push(a.ms); without.push(b.ms); anchor.push(ems); }
    }
    const replayMs = Math.max(0, median(withReplay) - median(without));
    const e2fsckMs = median(anchor);
    const oursIo = traced(process.execPath, [HA, '--image', pulled, 'auth', 'list']);
    const plainIo = traced(process.execPath, [HA, '--image', replayed, 'auth', 'list']);
    const copy = join(dir, 'e2fsck-io.img');
    copyFileSync(pulled, copy);
    const theirsIo = traced('e2fsck', ['-p', '-E', 'journal_only', copy]);

    // Journaled write against the in-place write.
    const reset = (image, i) => traced(process.execPath, [HA, '--image', image, 'auth', 'reset', '--username', 'alice', '--password', `bench-password-${i}`]);
    const journaled = makeFs(dir, 'journaled', true);
    const inPlace = makeFs(dir, 'in-place', false);
    const j = [];
    const p = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const a = reset(journaled, i);
      const b = reset(inPlace, i);
      if (a.status !== 0 || b.status !== 0) throw new Error(`auth reset failed: ${a.stderr}${b.stderr}`);
      if (i > 0) { j.push(a); p.push(b); }
    }
    for (const image of [journaled, inPlace]) {
      if (spawnSync('e2fsck', ['-fn', image], { stdio: 'ignore' }).status !== 0) throw new Error(`e2fsck -fn found errors in ${image}`);
    }
    const jMs = median(j.map((r) => r.ms));
    const pMs = median(p.map((r) => r.ms));
    return [
      { name: 'image-replay (full 4 MiB journal) vs e2fsck -p -E journal_only', ratio: replayMs / e2fsckMs,
        detail: `replay share of 'ha --image auth list' ${replayMs.toFixed(1)} ms (${median(withReplay).toFixed(0)} - ${median(without).toFixed(0)} ms), `
          + `e2fsck ${e2fsckMs.toFixed(1)} ms; read ${kib(oursIo.read - plainIo.read)} more than on a replayed card (${kib(oursIo.read)} in all), e2fsck read ${kib(theirsIo.read)}; 1280 MiB ext4, 4 transactions, 964 journal blocks` },
      { name: 'image-write journaled vs in place (auth reset)', ratio: jMs / pMs,
        detail: `journaled ${jMs.toFixed(0)} ms, ${kib(median(j.map((r) => r.written)))} written; in place ${pMs.toFixed(0)} ms, ${kib(median(p.map((r) => r.written)))} written (whole 'ha --image auth reset', bcrypt cost 12 included)` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})`);
}
