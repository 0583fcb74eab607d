// The kernel log as a user gets it, against util-linux `dmesg -F` on the same 100,000 records
// (goal: at most 0.5x; ratio = ours / dmesg). util-linux 2.38 has no `--kmsg-file`, so dmesg reads the
// same records in the syslog format with `dmesg -F FILE` (same parse/escape/print path per record).
// - `ha dmesg --no-pager` with HA_CONSOLE_KMSG pointing at a kmsg-format file, plain and coloured
//   (`FORCE_COLOR=1` vs `--color=always`), stdout to /dev/null on both sides, spawned the same way.
// - the console's kernel-log phase (`ha console --kmsg FILE`) from spawn to its last kernel line on a
//   pipe, against `dmesg -F FILE` from spawn to its last line on a pipe.
// Outputs are compared byte for byte first (the console's hint line removed); any difference fails the run.
// Peak RSS of both sides is measured in separate runs under /usr/bin/time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertSameOutput, figures, HA_BIN, median, peakRssKiB, runStandalone, timeToExit, timeToOutput } from './harness.mjs';

const RECORDS = Number(process.env.BENCH_KMSG_RECORDS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const HINT = 'Press Enter for the Home Assistant console\n';

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

/** The same records as a kmsg-format file (ours) and a syslog-format file (dmesg -F). */
export function writeKmsgInputs(dir, records = RECORDS) {
  const kmsg = [];
  const syslog = [];
  for (let i = 0; i < records; i++) {
    const level = [6, 6, 6, 4, 3, 5, 7, 6][i % 8];
    const usec = i * 1733 + (i % 997);
    const text = MESSAGES[i % MESSAGES.length](i);
    kmsg.push(`${level},${i},${usec},-;${text}\n`);
    // A continuation line, as /dev/kmsg gives for device messages: dmesg prints nothing for it either.
    if (i % 8 === 0) kmsg.push(` SUBSYSTEM=usb\n DEVICE=c189:${i % 128}\n`);
    const raw = text.replace(/\\x([0-9a-f]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16)));
    syslog.push(`<${level}>[${String(Math.floor(usec / 1e6)).padStart(5)}.${String(usec % 1e6).padStart(6, '0')}] ${raw}\n`);
  }
  const kmsgFile = join(dir, 'records.kmsg');
  const syslogFile = join(dir, 'records.syslog');
  writeFileSync(kmsgFile, kmsg.join(''));
  writeFileSync(syslogFile, Buffer.from(syslog.join(''), 'latin1'));
  return { kmsgFile, syslogFile };
}

const DMESG_ENV = { ...process.env, LC_ALL: 'C.UTF-8' };
const haEnv = (kmsgFile, color) => {
  const env = { ...process.env, HA_CONSOLE_KMSG: kmsgFile, SUPERVISOR_ENDPOINT: 'http://127.0.0.1:9', LC_ALL: 'C.UTF-8' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return color ? { ...env, FORCE_COLOR: '1' } : { ...env, NO_COLOR: '1' };
};

async function dmesgRow(inputs, dir, color) {
  const ours = [process.execPath, [HA_BIN, 'dmesg', '--no-pager']];
  const theirs = ['dmesg', ['-F', inputs.syslogFile, `--color=${color ? 'always' : 'never'}`]];
  const env = haEnv(inputs.kmsgFile, color);
  const oursOut = join(dir, 'ours.txt');
  const theirsOut = join(dir, 'theirs.txt');
  await timeToExit(...ours, { env, outPath: oursOut });
  await timeToExit(...theirs, { env: DMESG_ENV, outPath: theirsOut });
  const mode = color ? 'coloured' : 'plain';
  assertSameOutput(`ha dmesg ${mode}`, readFileSync(oursOut), readFileSync(theirsOut));
  const o = [];
  const t = [];
  for (let i = 0; i < ROUNDS; i++) {
    t.push(await timeToExit(...theirs, { env: DMESG_ENV }));
    o.push(await timeToExit(...ours, { env }));
  }
  const oursRss = await peakRssKiB(...ours, { env });
  const theirsRss = await peakRssKiB(...theirs, { env: DMESG_ENV });
  return {
    name: `ha dmesg --no-pager, ${RECORDS / 1000}k records, ${mode}`,
    ratio: median(o) / median(t),
    detail: `vs ${theirs[0]} ${theirs[1].join(' ').replace(inputs.syslogFile, 'FILE')}; ${figures(median(o), median(t), ROUNDS)}; output identical; peak RSS ${(oursRss / 1024).toFixed(0)} vs ${(theirsRss / 1024).toFixed(1)} MiB (separate runs); goal <= 0.5x`,
  };
}

async function phaseRow(inputs) {
  const reference = spawnSync('dmesg', ['-F', inputs.syslogFile, '--color=never'], { env: DMESG_ENV, maxBuffer: 1 << 30 }).stdout;
  const lastLine = reference.subarray(reference.lastIndexOf(10, reference.length - 2) + 1).toString('latin1');
  const done = (tail) => tail.endsWith(lastLine);
  const ours = [process.execPath, [HA_BIN, 'console', '--kmsg', inputs.kmsgFile]];
  const theirs = ['dmesg', ['-F', inputs.syslogFile, '--color=never']];
  const env = { ...haEnv(inputs.kmsgFile, false), HOME: mkdtempSync(join(tmpdir(), 'ha-bench-home-')) };
  const shown = (await timeToOutput(...ours, done, { env, keep: true })).output;
  const kernelLines = Buffer.from(shown.toString('latin1').split(HINT).join(''), 'latin1');
  assertSameOutput('console kernel-log phase', kernelLines, reference);
  const o = [];
  const t = [];
  for (let i = 0; i < ROUNDS; i++) {
    t.push((await timeToOutput(...theirs, done, { env: DMESG_ENV })).ms);
    o.push((await timeToOutput(...ours, done, { env })).ms);
  }
  rmSync(env.HOME, { recursive: true, force: true });
  return {
    name: `console kernel-log phase to its last line, ${RECORDS / 1000}k records`,
    ratio: median(o) / median(t),
    detail: `ha console --kmsg FILE vs dmesg -F FILE, both from spawn to the last line on a pipe; ${figures(median(o), median(t), ROUNDS)}; output identical (hint removed); goal <= 0.5x`,
  };
}

/** Runs the benchmark: one row per command. */
export async function run() {
  if (spawnSync('dmesg', ['--version']).status !== 0) throw new Error('dmesg (util-linux) is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'ha-bench-dmesg-'));
  try {
    const inputs = writeKmsgInputs(dir);
    return [await dmesgRow(inputs, dir, false), await dmesgRow(inputs, dir, true), await phaseRow(inputs)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(run);
