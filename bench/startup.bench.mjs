// Start-up of `ha --version` and of `ha console` to its first kernel line, against `node -e 0`, all spawned
// the same way. The single executable (out/exe/linux-<arch>/ha from `npm run build:exe`, what a device
// ships) is timed when it is built: goal no slower than `node -e 0`; `bin/ha.js` (the npm package) too.
// The node binary and the executable are first put in the page cache as a start from disk leaves them. The
// executable's anchor is `node -e 0` from a private copy of the node binary (harness privateNodeCopy): the
// node binary itself is read by every other run here and starts about 2 ms faster for it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentExecutable, naturalPageCache, privateNodeCopy, runStandalone } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'ha.js');
const ROUNDS = 25;
const EXE = join(root, 'out', 'exe', `linux-${process.arch}`, 'ha');

/** Milliseconds from spawn until `done(output)` is true (or the process exits). */
function timeRun(args, done = () => false, command = process.execPath) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9', NO_COLOR: '1' } });
    let output = '';
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (d) => {
      output += d.toString();
      if (done(output)) finish();
    });
    child.on('error', reject);
    child.on('exit', finish);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-bench-start-'));
  const kmsg = join(dir, 'boot.kmsg');
  writeFileSync(kmsg, '6,1,1000000,-;Booting Linux on physical CPU 0x0\n');
  const anchor = [];
  const version = [];
  const consoleStart = [];
  const exe = [];
  const exeAnchor = [];
  const hasExe = currentExecutable(EXE);
  const anchorNode = hasExe ? privateNodeCopy(dir) : undefined;
  naturalPageCache([[realpathSync(process.execPath), ['-e', '0']], ...(hasExe ? [[EXE, ['--version']], [anchorNode, ['-e', '0']]] : [])]);
  for (let i = 0; i < ROUNDS; i++) {
    if (hasExe) {
      exe.push(await timeRun(['--version'], undefined, EXE));
      exeAnchor.push(await timeRun(['-e', '0'], undefined, anchorNode));
    }
    // Interleaved so load on the machine hits all alike.
    anchor.push(await timeRun(['-e', '0']));
    version.push(await timeRun([bin, '--version']));
    consoleStart.push(await timeRun([bin, 'console', '--kmsg', kmsg], (out) => out.includes('Booting Linux')));
  }
  rmSync(dir, { recursive: true, force: true });
  if (hasExe) {
    const [theirs, ours] = [execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }), execFileSync(EXE, ['--version'], { encoding: 'utf8' })];
    if (ours !== theirs) throw new Error(`startup: the executable's --version DIFFERENT from bin/ha.js's: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
  }
  const a = median(anchor);
  const exeRow = hasExe
    ? [{ name: 'startup: single executable ha --version vs node -e 0 (a private copy of node)', ratio: median(exe) / median(exeAnchor), detail: `ours ${median(exe).toFixed(1)} ms, anchor ${median(exeAnchor).toFixed(1)} ms (the bench's own node binary ${a.toFixed(1)} ms), median of ${ROUNDS}, goal <= 1x` }]
    : [];
  return [
    ...exeRow,
    { name: 'startup: bin/ha.js --version vs node -e 0', ratio: median(version) / a, detail: `ours ${median(version).toFixed(1)} ms, anchor ${a.toFixed(1)} ms, goal <= 1.3x` },
    { name: 'startup: console to first kernel line vs node -e 0', ratio: median(consoleStart) / a, detail: `ours ${median(consoleStart).toFixed(1)} ms, anchor ${a.toFixed(1)} ms, goal <= 1.3x` },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) await runStandalone(run);
