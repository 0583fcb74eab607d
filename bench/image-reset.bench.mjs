// A password reset on a 32 GiB HAOS card (GPT, grown data partition, sparse), as a person runs it:
// `ha --image CARD auth reset --username alice --password P` against its unavoidable part, a node process
// hashing the same password with bcrypt cost 12 (Home Assistant's cost), each a whole process, in the same
// run. Bytes read and written by the reset come from strace (pread64/pwrite64). Fails when the new
// password does not verify against the stored hash or e2fsck finds errors afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const HA = join(root, 'bin', 'ha.js');
const STORE = '/supervisor/homeassistant/.storage/auth_provider.homeassistant';
const ROUNDS = 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;

function wall(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function dataOffset(image) {
  const table = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })).partitiontable;
  const part = table.partitions.find((p) => p.name === 'hassos-data');
  return part.start * (table.sectorsize ?? 512);
}

/** Runs the image reset benchmark and returns one result per measurement. */
export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-image-bench-'));
  try {
    const image = join(dir, 'sd-32g.img');
    execFileSync(join(root, 'scripts', 'make-test-image'), [image, '--table', 'gpt', '--size', '32G', '--bcrypt-cost', '4'], { stdio: 'pipe' });
    const device = `${image}?offset=${dataOffset(image)}`;
    const bcryptjs = require.resolve('bcryptjs');
    const ours = [];
    const anchor = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const password = `benchmark-password-${i}`;
      const o = wall(process.execPath, [HA, '--image', image, 'auth', 'reset', '--username', 'alice', '--password', password]);
      const a = wall(process.execPath, ['-e', `require(${JSON.stringify(bcryptjs)}).hashSync(process.argv[1], 12)`, password]);
      const stored = JSON.parse(execFileSync('debugfs', ['-R', `cat ${STORE}`, device], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      const hash = Buffer.from(stored.data.users.find((u) => u.username === 'alice').password, 'base64').toString();
      if (!require('bcryptjs').compareSync(password, hash)) throw new Error('DIFFERENT: the new password does not verify against the stored hash');
      if (i > 0) { ours.push(o); anchor.push(a); } // the first round warms the page cache
    }
    if (spawnSync('e2fsck', ['-fn', device], { stdio: 'ignore' }).status !== 0) throw new Error('e2fsck -fn found errors after the resets');
    const trace = join(dir, 'trace');
    spawnSync('strace', ['-f', '-qq', '-o', trace, '-e', 'trace=pread64,pwrite64', process.execPath, HA, '--image', image,
      'auth', 'reset', '--username', 'alice', '--password', 'benchmark-password-io'], { stdio: 'ignore' });
    const lines = readFileSync(trace, 'utf8').split('\n');
    const sum = (call) => lines.filter((l) => l.includes(`${call}(`)).reduce((n, l) => n + Number(/= (\d+)/.exec(l)?.[1] ?? 0), 0);
    const oursMs = median(ours);
    const anchorMs = median(anchor);
    return [
      { name: 'image-reset (ha --image auth reset) vs bcrypt-12 hash process', ratio: oursMs / anchorMs,
        detail: `ours ${oursMs.toFixed(0)} ms, anchor ${anchorMs.toFixed(0)} ms (node + bcryptjs cost 12 only); 32 GiB card; read ${kib(sum('pread64'))}, written ${kib(sum('pwrite64'))} per reset` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})`);
}
