import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHa } from '../helpers/run-ha';
import { journalctl, logEntry, tearTail, writeJournal, type ExportEntry } from '../helpers/systemd-journal-fixture';
import { debugfs, makeImage, makeTempDir, partitionOffset, sha256 } from './image-fixture';

/** A card in `table`'s layout with the journal files under /logs/<machine-id>/ (debugfs writes them). */
function cardWithJournal(path: string, table: string, journalFiles: readonly string[]): string {
  const image = makeImage(path, ['--table', table, '--bcrypt-cost', '4']);
  const offset = partitionOffset(image);
  debugfs(image, offset, 'mkdir /logs', true);
  debugfs(image, offset, `mkdir /logs/${MACHINE_ID}`, true);
  for (const file of journalFiles) debugfs(image, offset, `write ${file} /logs/${MACHINE_ID}/${file.split('/').pop() ?? ''}`, true);
  return image;
}

// `ha --image CARD <service> logs` on a HAOS-layout card whose /logs/<machine-id>/ holds journal files
// written by systemd-journal-remote; journalctl on the same files is the judge, the card's sha256 the proof
// that nothing was written.

const MACHINE_ID = '0123456789abcdef0123456789abcdef';
const BOOTS = ['a1'.repeat(16), 'b2'.repeat(16), 'c3'.repeat(16)];
const HOST_IDENTS = ['kernel', 'NetworkManager', 'systemd', 'hassos-supervisor', 'dropbear'];
const BASE_US = 1_764_400_000_000_000;
// eslint-disable-next-line no-control-regex -- the Supervisor strips colours with this when output is no colour terminal
const ANSI = /\x1B\[[0-9;]*m/g;

function entries(from: number, to: number): ExportEntry[] {
  const out: ExportEntry[] = [];
  for (let i = from; i < to; i++) {
    const boot = Math.min(2, Math.floor(i / 200));
    const kind = i % 4;
    const ident = kind === 0 ? 'homeassistant' : kind === 1 ? 'hassio_supervisor' : kind === 2 ? 'hassio_dns' : HOST_IDENTS[i % HOST_IDENTS.length] ?? 'kernel';
    const message = i % 9 === 0
      ? `2026-11-29 12:00:00.000 ERROR (MainThread) [homeassistant.core] Error doing job #${i}\nTraceback (most recent call last):\n${'  File "/usr/src/homeassistant/x.py", line 1, in run\n'.repeat(30)}RuntimeError: boom ${i}`
      : i % 10 === 1 ? `\x1b[32m${ident} coloured ${i}\x1b[0m` : `${ident} says ${i} — ünïcödé`;
    out.push(logEntry({ realtimeUs: BASE_US + i * 2_345_678, monotonicUs: 1_000_000 + i * 10_000, bootId: BOOTS[boot] ?? '', ident, ...(kind === 3 && i % 3 === 0 ? {} : { pid: 1000 + kind }), message }));
  }
  return out;
}

let tmp: { dir: string; cleanup: () => void };
let card: string;
let files: string[];
let cardSha: string;

beforeAll(() => {
  tmp = makeTempDir();
  const local = join(tmp.dir, 'journal');
  mkdirSync(local);
  files = [join(local, `system@${'5e'.repeat(16)}-0000000000000001-0006433f6e4a2c00.journal`), join(local, 'system.journal'), join(local, 'system@0006433f7a0b1c2d-1234567890abcdef.journal~')];
  writeJournal(files[0] ?? '', entries(0, 300), { compress: false });
  writeJournal(files[1] ?? '', entries(300, 560), { compress: false });
  // An unclean file of the same time as the active one, with a torn tail (zeros where the last pages were).
  const unclean = files[2] ?? '';
  writeJournal(`${unclean}.tmp.journal`, entries(560, 600), { compress: false });
  renameSync(`${unclean}.tmp.journal`, unclean);
  tearTail(unclean, 0.85);
  card = cardWithJournal(join(tmp.dir, 'card.img'), 'gpt', files);
  cardSha = sha256(card);
}, 120_000);

afterAll(() => {
  expect(sha256(card)).toBe(cardSha);
  tmp.cleanup();
});

/** What the Supervisor returns for a plain log: journalctl -o cat, colours stripped (no colour terminal). */
function plain(args: readonly string[]): string {
  return journalctl(files, ['-o', 'cat', ...args]).replace(ANSI, '');
}

/** The Supervisor's verbose lines (journal_verbose_formatter) from journalctl -o json. */
function verbose(args: readonly string[]): string {
  return journalctl(files, ['-o', 'json', '--all', ...args]).trim().split('\n').map((line) => {
    const raw = JSON.parse(line) as Record<string, string | number[]>;
    const e = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : Buffer.from(v).toString('utf8')]));
    const ts = new Date(Math.floor(Number(e['__REALTIME_TIMESTAMP']) / 1000)).toISOString().replace('T', ' ').slice(0, 23);
    const ident = e['SYSLOG_IDENTIFIER'] ?? '_UNKNOWN_';
    return `${ts} ${e['_HOSTNAME'] ?? ''} ${e['_PID'] === undefined ? ident : `${ident}[${e['_PID']}]`}: ${(e['MESSAGE'] ?? '').replace(ANSI, '')}\n`;
  }).join('');
}

const HOST_T = ['NetworkManager', 'bluetoothd', 'dropbear', 'hassos-supervisor', 'kernel', 'systemd'].flatMap((t) => ['-t', t]);

describe('ha --image CARD ... logs', () => {
  it.each([
    ['core logs', ['core', 'logs'], () => plain(['-t', 'homeassistant', '-n', '100'])],
    ['core logs -n 7', ['core', 'logs', '-n', '7'], () => plain(['-t', 'homeassistant', '-n', '7'])],
    ['core logs -n 1000', ['core', 'logs', '-n', '1000'], () => plain(['-t', 'homeassistant', '-n', '1000'])],
    ['core logs -b -1', ['core', 'logs', '-b', '-1', '-n', '500'], () => plain(['-t', 'homeassistant', '-b', '-1', '-n', '500'])],
    ['core logs -b 1 (oldest)', ['core', 'logs', '-b', '1'], () => plain(['-t', 'homeassistant', '-b', '1', '-n', '100'])],
    ['supervisor logs', ['supervisor', 'logs', '-n', '30'], () => plain(['-t', 'hassio_supervisor', '-n', '30'])],
    ['core logs -v', ['core', 'logs', '-v', '-n', '40'], () => verbose(['-t', 'homeassistant', '-n', '40'])],
    ['dns logs (verbose by default)', ['dns', 'logs', '-n', '25'], () => verbose(['-t', 'hassio_dns', '-n', '25'])],
    ['host logs (verbose, the Supervisor identifiers)', ['host', 'logs', '-n', '60'], () => verbose([...HOST_T, '-n', '60'])],
    ['host logs -b -2', ['host', 'logs', '-b', '-2'], () => verbose([...HOST_T, '-b', '-2', '-n', '100'])],
    ['host logs -t NetworkManager (plain)', ['host', 'logs', '-t', 'NetworkManager', '-n', '20'], () => plain(['-t', 'NetworkManager', '-n', '20'])],
    ['host logs -t homeassistant -v -b BOOTID', ['host', 'logs', '-t', 'homeassistant', '-v', '-b', BOOTS[1] ?? ''], () => verbose(['-t', 'homeassistant', '-b', BOOTS[1] ?? '', '-n', '100'])],
  ])('%s equals journalctl on the same files', async (_name, args, expected) => {
    const run = await runHa(['--image', card, ...args, '--no-pager'], { timeoutMs: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expected());
  });

  it('host logs boots lists the journal\'s boots, 0 the newest', async () => {
    const run = await runHa(['--image', card, '--raw-json', 'host', 'logs', 'boots'], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const listed = (JSON.parse(journalctl(files, ['--list-boots', '-o', 'json'])) as Array<{ index: number; boot_id: string }>);
    const body = JSON.parse(run.stdout) as { data: { boots: Record<string, string> } };
    expect(body.data.boots).toEqual(Object.fromEntries(listed.map((b) => [String(b.index), b.boot_id])));
  });

  it('host logs identifiers lists every SYSLOG_IDENTIFIER', async () => {
    const run = await runHa(['--image', card, '--raw-json', 'host', 'logs', 'identifiers'], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const expected = [...new Set(journalctl(files, ['-F', 'SYSLOG_IDENTIFIER']).trim().split('\n'))].sort();
    expect((JSON.parse(run.stdout) as { data: { identifiers: string[] } }).data.identifiers).toEqual(expected);
  });

  it('refuses -f, and a boot the journal does not hold, with nothing read of this machine', async () => {
    const follow = await runHa(['--image', card, 'core', 'logs', '-f']);
    expect(follow.code).toBe(2);
    expect(follow.stderr).toMatch(/^Error: -f\/--follow does not apply offline/);
    const boot = await runHa(['--image', card, 'core', 'logs', '-b', '-5']);
    expect(boot.code).toBe(1);
    expect(boot.stderr).toMatch(/^Error: The journal holds 3 boots; there is no boot -5\./);
  });
});

describe.each(['hybrid', 'mbr'])('a %s card (Raspberry Pi 3/4; ODROID: data is partition 4)', (table) => {
  it('core logs equals journalctl, and the card is untouched', async () => {
    const other = cardWithJournal(join(tmp.dir, `${table}.img`), table, files);
    const before = sha256(other);
    const run = await runHa(['--image', other, 'core', 'logs', '-n', '50', '--no-pager'], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(plain(['-t', 'homeassistant', '-n', '50']));
    expect(sha256(other)).toBe(before);
  }, 120_000);
});
