// Benchmark of a password reset inside a 32 GiB HAOS-like image (30+ GiB ext4 data partition, sparse):
// - bytes read and written by one whole reset (counted in the image disk wrapper; goal: under 1 MiB read);
// - wall time of writing the new auth_provider.homeassistant through ext2fs (mount, temp + rename, chmod,
//   chown, umount, clean flag) vs `debugfs -w` doing the same (rm + write + mode/owner), both per write;
// - bcrypt's own cost (cost 12) measured apart, next to the whole reset.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const STORE = 'supervisor/homeassistant/.storage/auth_provider.homeassistant';
const ROUNDS = 9;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;

async function timeMs(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function dataOffset(image) {
  const table = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })).partitiontable;
  const part = table.partitions.find((p) => p.name === 'hassos-data');
  return part.start * (table.sectorsize ?? 512);
}

/** Runs the image reset benchmark and returns one result per measurement. */
export async function run() {
  const { withImage } = require(`${root}dist/targets/image/session.js`);
  const { createStorageTarget } = require(`${root}dist/storage/storage-target.js`);
  const { hashPassword } = require(`${root}dist/storage/password-hash.js`);
  const dir = mkdtempSync(join(tmpdir(), 'ha-image-bench-'));
  try {
    const image = join(dir, 'sd-32g.img');
    execFileSync(join(root, 'scripts', 'make-test-image'), [image, '--size', '32G', '--bcrypt-cost', '4'], { stdio: 'pipe' });
    const offset = dataOffset(image);
    const device = `${image}?offset=${offset}`;

    // Whole resets (bcrypt included), the I/O of each counted; bcrypt alone timed apart.
    let counters = { bytesRead: 0, bytesWritten: 0 };
    const full = [];
    const bcrypt = [];
    for (let i = 0; i < 3; i++) {
      full.push(await timeMs(() =>
        withImage(image, { write: true }, async (mounted) => {
          counters = mounted.counters;
          await createStorageTarget(mounted.storage, 'bench').resetPassword('alice', `benchmark-password-${i}`, { force: false });
        })));
      bcrypt.push(await timeMs(() => hashPassword(`benchmark-password-${i}`)));
    }
    const fullMs = median(full);
    const bcryptMs = median(bcrypt);

    // The same file written again and again: ext2fs in this process vs a debugfs -w process each time.
    const content = execFileSync('debugfs', ['-R', `cat /${STORE}`, device], { stdio: ['ignore', 'pipe', 'ignore'] });
    const local = join(dir, 'auth_provider.homeassistant');
    writeFileSync(local, content);
    const commands = join(dir, 'write.debugfs');
    writeFileSync(commands, [`rm /${STORE}`, `write ${local} /${STORE}`, `sif /${STORE} mode 0100600`,
      `sif /${STORE} uid 0`, `sif /${STORE} gid 0`, ''].join('\n'));
    const ours = [];
    const anchor = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const o = await timeMs(() => withImage(image, { write: true }, ({ storage }) =>
        storage.writeFileAtomic('.storage/auth_provider.homeassistant', content, 0o600)));
      const a = await timeMs(async () => {
        const r = spawnSync('debugfs', ['-w', '-f', commands, device], { stdio: 'ignore' });
        if (r.status !== 0) throw new Error('debugfs -w failed');
      });
      if (i > 0) { ours.push(o); anchor.push(a); } // first round warms up (WASM compile, page cache)
    }
    const check = spawnSync('e2fsck', ['-fn', device], { stdio: 'ignore' });
    if (check.status !== 0) throw new Error('e2fsck -fn found errors after the benchmark writes');
    const oursMs = median(ours);
    const anchorMs = median(anchor);
    const io = `read ${kib(counters.bytesRead)}, written ${kib(counters.bytesWritten)} per reset`;
    return [
      { name: 'image-reset-write vs debugfs -w', ratio: oursMs / anchorMs,
        detail: `ours ${oursMs.toFixed(1)} ms, anchor ${anchorMs.toFixed(1)} ms; 32 GiB image; ${io}` },
      { name: 'image-reset-full vs bcrypt cost 12 alone', ratio: fullMs / bcryptMs,
        detail: `ours ${fullMs.toFixed(1)} ms (whole reset), anchor ${bcryptMs.toFixed(1)} ms (bcrypt only); rest ~${Math.max(0, fullMs - bcryptMs).toFixed(1)} ms` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})`);
}
