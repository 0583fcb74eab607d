// Getting a 1 GB backup off a card, as a person runs it: `ha --image CARD backups export SLUG DEST` against
// debugfs dumping the same file (`debugfs -R "dump PATH OUT" CARD?offset=N`), each a whole process, in the
// same run; peak memory (max RSS from /usr/bin/time) of both. Fails when either copy differs from the tar.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const HA = join(root, 'bin', 'ha.js');
const SIZE_MB = Number(process.env['BENCH_BACKUP_MB'] ?? 1024);
const ROUNDS = 3;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timed(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const [seconds, kb] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { ms: seconds * 1000, rssMb: kb / 1024 };
}

async function sha256(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

function dataOffset(image) {
  const table = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })).partitiontable;
  return table.partitions.find((p) => p.name === 'hassos-data').start * (table.sectorsize ?? 512);
}

/** Runs the export benchmark. */
export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-export-bench-'));
  try {
    const image = join(dir, 'card.img');
    execFileSync(join(root, 'scripts', 'make-test-image'), [image, '--size', `${Math.ceil(SIZE_MB / 1024) * 2 + 2}G`, '--bcrypt-cost', '4'], { stdio: 'pipe' });
    const src = join(dir, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'backup.json'), JSON.stringify({ slug: 'b1g0000d', name: 'Big backup', date: '2026-11-29T03:00:00.000000+00:00', type: 'full', homeassistant: { version: '2026.11.3' } }));
    execFileSync('sh', ['-c', `head -c ${SIZE_MB * 1024 * 1024} /dev/urandom > "${join(src, 'homeassistant.tar.gz')}"`]);
    const tar = join(dir, 'b1g0000d.tar');
    execFileSync('tar', ['-cf', tar, '-C', src, './backup.json', './homeassistant.tar.gz']);
    rmSync(src, { recursive: true });
    const device = `${image}?offset=${dataOffset(image)}`;
    execFileSync('debugfs', ['-w', '-R', 'mkdir /supervisor/backup', device], { stdio: 'ignore' });
    execFileSync('debugfs', ['-w', '-R', `write ${tar} /supervisor/backup/b1g0000d.tar`, device], { stdio: 'ignore' });
    const expected = await sha256(tar);
    rmSync(tar);
    const ours = [];
    const anchor = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const out = join(dir, `out-${i}`);
      mkdirSync(out);
      const o = timed(process.execPath, [HA, '--image', image, 'backups', 'export', 'b1g0000d', out]);
      const [name] = readdirSync(out);
      if ((await sha256(join(out, name))) !== expected) throw new Error('DIFFERENT: the exported backup is not the tar on the card');
      rmSync(out, { recursive: true });
      const dump = join(dir, `dump-${i}.tar`);
      const a = timed('debugfs', ['-R', `dump /supervisor/backup/b1g0000d.tar ${dump}`, device]);
      if ((await sha256(dump)) !== expected) throw new Error('DIFFERENT: debugfs dump is not the tar on the card');
      rmSync(dump);
      if (i > 0) { ours.push(o); anchor.push(a); } // the first round warms the page cache
    }
    const oursMs = median(ours.map((r) => r.ms));
    const anchorMs = median(anchor.map((r) => r.ms));
    return [{
      name: `backup-export (${SIZE_MB} MB backup) vs debugfs dump`,
      ratio: oursMs / anchorMs,
      detail: `ours ${oursMs.toFixed(0)} ms, peak ${Math.max(...ours.map((r) => r.rssMb)).toFixed(0)} MB RSS; debugfs ${anchorMs.toFixed(0)} ms, peak ${Math.max(...anchor.map((r) => r.rssMb)).toFixed(0)} MB RSS; sha256 equal`,
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})`);
}
