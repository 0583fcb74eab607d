// Getting a 1 GB backup off a card, as a person runs it: `ha --image CARD backups export SLUG DEST` against
// debugfs dumping the same file (`debugfs -R "dump PATH OUT" CARD?offset=N`), each a whole process spawned the
// same way (harness timeToExit), interleaved, in the same run; peak memory (max RSS) of both in separate runs,
// and of ours at half the size (flat memory: the same peak for 0.5 and 1 GB). Fails when either copy differs
// from the tar (sha256). BENCH_WORK_DIR=DIR keeps (and reuses) the card between runs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HA_BIN, median, peakRssKiB, root, runStandalone, timeToExit } from './harness.mjs';

const SIZE_MB = Number(process.env['BENCH_BACKUP_MB'] ?? 1024);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);

async function sha256(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

function dataOffset(image) {
  const table = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })).partitiontable;
  return table.partitions.find((p) => p.name === 'hassos-data').start * (table.sectorsize ?? 512);
}

function makeTar(dir, slug, mb) {
  const src = join(dir, `src-${slug}`);
  mkdirSync(src);
  writeFileSync(join(src, 'backup.json'), JSON.stringify({ slug, name: `Backup ${slug}`, date: '2026-11-29T03:00:00.000000+00:00', type: 'full', homeassistant: { version: '2026.11.3' } }));
  execFileSync('sh', ['-c', `head -c ${mb * 1024 * 1024} /dev/urandom > "${join(src, 'homeassistant.tar.gz')}"`]);
  const tar = join(dir, `${slug}.tar`);
  execFileSync('tar', ['-cf', tar, '-C', src, './backup.json', './homeassistant.tar.gz']);
  rmSync(src, { recursive: true });
  return tar;
}

/** A card holding a SIZE_MB backup and one of half that size, with the tars' sha256 (made once per work dir). */
async function prepare(dir) {
  const image = join(dir, 'card.img');
  const sums = join(dir, 'sums.json');
  if (existsSync(sums)) return { image, expected: JSON.parse(readFileSync(sums, 'utf8')) };
  execFileSync(join(root, 'scripts', 'make-test-image'), [image, '--size', `${Math.ceil((SIZE_MB * 1.5) / 1024) * 2 + 2}G`, '--bcrypt-cost', '4'], { stdio: 'pipe' });
  const device = `${image}?offset=${dataOffset(image)}`;
  execFileSync('debugfs', ['-w', '-R', 'mkdir /supervisor/backup', device], { stdio: 'ignore' });
  const expected = {};
  for (const [slug, mb] of [['b1g0000d', SIZE_MB], ['ha1f000d', Math.round(SIZE_MB / 2)]]) {
    const tar = makeTar(dir, slug, mb);
    execFileSync('debugfs', ['-w', '-R', `write ${tar} /supervisor/backup/${slug}.tar`, device], { stdio: 'ignore' });
    expected[slug] = await sha256(tar);
    rmSync(tar);
  }
  writeFileSync(sums, JSON.stringify(expected));
  return { image, expected };
}

/** Runs the export benchmark. */
export async function run() {
  const keep = process.env['BENCH_WORK_DIR'];
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'ha-export-bench-'));
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  try {
    const { image, expected } = await prepare(dir);
    const device = `${image}?offset=${dataOffset(image)}`;
    const out = join(dir, 'out');
    const dump = join(dir, 'dump.tar');
    const ours = (slug) => [process.execPath, [HA_BIN, '--image', image, 'backups', 'export', slug, out]];
    const anchor = (slug) => ['debugfs', ['-R', `dump /supervisor/backup/${slug}.tar ${dump}`, device]];
    const fresh = () => { rmSync(out, { recursive: true, force: true }); mkdirSync(out); rmSync(dump, { force: true }); };
    const oursMs = [];
    const anchorMs = [];
    for (let i = 0; i <= ROUNDS; i++) {
      fresh();
      const o = await timeToExit(...ours('b1g0000d'));
      const a = await timeToExit(...anchor('b1g0000d'));
      if (i === 0) { // the first round warms the page cache and checks both copies
        const [name] = readdirSync(out);
        if ((await sha256(join(out, name))) !== expected['b1g0000d']) throw new Error('DIFFERENT: the exported backup is not the tar on the card');
        if ((await sha256(dump)) !== expected['b1g0000d']) throw new Error('DIFFERENT: debugfs dump is not the tar on the card');
      } else {
        oursMs.push(o);
        anchorMs.push(a);
      }
    }
    fresh();
    const oursRss = await peakRssKiB(...ours('b1g0000d'));
    fresh();
    const halfRss = await peakRssKiB(...ours('ha1f000d'));
    fresh();
    const anchorRss = await peakRssKiB(...anchor('b1g0000d'));
    fresh();
    const o = median(oursMs);
    const a = median(anchorMs);
    const mib = (kib) => (kib === undefined ? '?' : (kib / 1024).toFixed(0));
    return [{
      name: `backup-export (${SIZE_MB} MB backup) vs debugfs dump`,
      ratio: o / a,
      detail: `ours ${o.toFixed(0)} ms, debugfs ${a.toFixed(0)} ms, median of ${ROUNDS} interleaved; peak RSS ours ${mib(oursRss)} MiB (${mib(halfRss)} MiB for the ${Math.round(SIZE_MB / 2)} MB one), debugfs ${mib(anchorRss)} MiB (separate runs); sha256 equal`,
    }];
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(run);
