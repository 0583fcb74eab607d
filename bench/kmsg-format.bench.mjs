// Kernel log formatting throughput: our formatter (a node process turning a 100,000-record kmsg file into
// dmesg lines, start-up included) against util-linux `dmesg` on the same records. `dmesg --kmsg-file`
// does not exist before util-linux 2.39, so dmesg reads the same records in the syslog format with
// `dmesg -F FILE` (same per-record parse/escape/print path). Ratio = ours / dmesg: below 1 is faster.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const formatModule = join(root, 'dist', 'kmsg', 'format.js');
const RECORDS = 100_000;
const ROUNDS = 7;
const DMESG_ENV = { ...process.env, LC_ALL: 'C.UTF-8' };

const WORKER = `
const { readFileSync, writeSync } = require('node:fs');
const { formatKmsgBuffer } = require(process.argv[1]);
const out = formatKmsgBuffer(readFileSync(process.argv[2]), { color: process.argv[3] === 'color' });
for (let at = 0; at < out.length; ) at += writeSync(1, out, at);
`;

const MESSAGES = [
  (i) => `usb 1-1.${i % 4}: new high-speed USB device number ${i % 128} using xhci_hcd`,
  (i) => `EXT4-fs (mmcblk0p8): mounted filesystem with ordered data mode. Quota mode: none. (${i})`,
  (i) => `bcmgenet fd580000.ethernet eth0: Link is Up - 1Gbps/Full - flow control rx/tx`,
  (i) => `hassio: port ${i % 9}(veth${(i * 2654435761 % 0xffffff).toString(16)}) entered forwarding state`,
  (i) => `audit: type=1400 audit(${i}.123:${i}): apparmor="STATUS" operation="profile_load" name="hassio-supervisor"`,
  (i) => `brcmfmac: brcmf_sdio_htclk: HT Avail timeout (1000000): clkctl 0x50 seq=${i}`,
  (i) => `I/O error, dev mmcblk0, sector ${i * 8} op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 2`,
  (i) => `caf\\xc3\\xa9 tab\\x09here line ${i}`,
];

function makeInputs(dir) {
  const kmsg = [];
  const syslog = [];
  for (let i = 0; i < RECORDS; i++) {
    const level = [6, 6, 6, 4, 3, 5, 7, 6][i % 8];
    const usec = i * 1733 + (i % 997);
    const text = MESSAGES[i % MESSAGES.length](i);
    kmsg.push(`${level},${i},${usec},-;${text}\n`);
    const raw = text.replace(/\\x([0-9a-f]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16)));
    syslog.push(`<${level}>[${String(Math.floor(usec / 1e6)).padStart(5)}.${String(usec % 1e6).padStart(6, '0')}] ${raw}\n`);
  }
  const kmsgFile = join(dir, 'records.kmsg');
  const syslogFile = join(dir, 'records.syslog');
  writeFileSync(kmsgFile, kmsg.join(''));
  writeFileSync(syslogFile, Buffer.from(syslog.join(''), 'latin1'));
  return { kmsgFile, syslogFile };
}

function timed(command, args, outFd, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', outFd, 'pipe'], env });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr?.toString().trim()}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(mode, inputs, dir) {
  const ours = [process.execPath, ['-e', WORKER, formatModule, inputs.kmsgFile, mode]];
  const theirs = ['dmesg', ['-F', inputs.syslogFile, `--color=${mode === 'color' ? 'always' : 'never'}`]];
  // Same bytes out of both, checked once before timing.
  const oursFile = join(dir, `ours-${mode}.txt`);
  const theirsFile = join(dir, `theirs-${mode}.txt`);
  for (const [[command, args], file, env] of [[ours, oursFile, process.env], [theirs, theirsFile, DMESG_ENV]]) {
    const fd = openSync(file, 'w');
    try {
      timed(command, args, fd, env);
    } finally {
      closeSync(fd);
    }
  }
  const same = readFileSync(oursFile).equals(readFileSync(theirsFile));
  const devNull = openSync('/dev/null', 'w');
  const oursMs = [];
  const theirsMs = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      oursMs.push(timed(ours[0], ours[1], devNull, process.env));
      theirsMs.push(timed(theirs[0], theirs[1], devNull, DMESG_ENV));
    }
  } finally {
    closeSync(devNull);
  }
  const o = median(oursMs);
  const t = median(theirsMs);
  return {
    name: `kmsg-format ${mode} ${RECORDS / 1000}k records`,
    ratio: o / t,
    detail: `dmesg -F; ours ${o.toFixed(0)} ms, anchor ${t.toFixed(0)} ms, median of ${ROUNDS}, output ${same ? 'identical' : 'DIFFERENT'}`,
  };
}

/** Runs the benchmark; returns one row per output mode. */
export async function run() {
  if (spawnSync('dmesg', ['--version']).status !== 0) throw new Error('dmesg (util-linux) is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'ha-bench-kmsg-'));
  try {
    const inputs = makeInputs(dir);
    return [measure('plain', inputs, dir), measure('color', inputs, dir)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) process.stdout.write(`${r.name}: ${r.ratio.toFixed(2)}x (${r.detail})\n`);
}
