import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHa } from '../helpers/run-ha';
import { debugfs, makeImage, makeTempDir, partitionOffset, sha256 } from './image-fixture';

// `backups list|export` and `files ls|cp` on a HAOS-layout card holding two Supervisor backup tars (made by
// Python's tarfile, as the Supervisor's securetar writes them: ./backup.json beside the inner tars) and a
// symlink pointing off the card. Judges: sha256 of the tars, debugfs for contents, modes and times.

const BACKUPS = [
  { slug: '9f1c2e3d', name: 'Automatic backup 2026.11.2', date: '2026-11-20T03:00:12.345678+00:00', type: 'full', version: '2026.11.2', dataBytes: 9_000_000, jsonFirst: false },
  { slug: '0a1b2c3d', name: 'Before   update', date: '2026-11-27T21:15:00+01:00', type: 'partial', version: '2026.11.3', dataBytes: 20_000, jsonFirst: true },
];

let tmp: { dir: string; cleanup: () => void };
let card: string;
let offset: number;
let cardSha: string;
const tarSha = new Map<string, string>();

function makeTar(b: (typeof BACKUPS)[number], out: string): void {
  const src = join(tmp.dir, `src-${b.slug}`);
  mkdirSync(src);
  writeFileSync(join(src, 'backup.json'), JSON.stringify({ slug: b.slug, name: b.name, date: b.date, type: b.type, homeassistant: { version: b.version }, protected: false, compressed: true }));
  writeFileSync(join(src, 'homeassistant.tar.gz'), randomBytes(b.dataBytes));
  const members = b.jsonFirst ? ['./backup.json', './homeassistant.tar.gz'] : ['./homeassistant.tar.gz', './backup.json'];
  execFileSync('tar', ['-cf', out, '-C', src, ...members]);
  tarSha.set(b.slug, createHash('sha256').update(readFileSync(out)).digest('hex'));
}

beforeAll(() => {
  tmp = makeTempDir();
  card = makeImage(join(tmp.dir, 'card.img'), ['--bcrypt-cost', '4']);
  offset = partitionOffset(card);
  for (const dir of ['/supervisor/backup', '/supervisor/share']) {
    try { debugfs(card, offset, `mkdir ${dir}`, true); } catch { /* already there */ }
  }
  for (const b of BACKUPS) {
    const tar = join(tmp.dir, `${b.slug}.tar`);
    makeTar(b, tar);
    debugfs(card, offset, `write ${tar} /supervisor/backup/${b.slug}.tar`, true);
  }
  debugfs(card, offset, 'symlink /supervisor/share/outside /etc/passwd', true);
  // A big file for Ctrl-C in the middle of a copy.
  const big = join(tmp.dir, 'big.bin');
  writeFileSync(big, randomBytes(96 * 1024 * 1024));
  try { debugfs(card, offset, 'mkdir /supervisor/media', true); } catch { /* already there */ }
  debugfs(card, offset, `write ${big} /supervisor/media/big.bin`, true);
  cardSha = sha256(card);
}, 120_000);

afterAll(() => {
  expect(sha256(card)).toBe(cardSha);
  tmp.cleanup();
});

describe('backups on a card', () => {
  it('backups list: name, date, type, Core version and size from each backup.json, newest first', async () => {
    const run = await runHa(['--image', card, '--raw-json', 'backups', 'list'], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const rows = (JSON.parse(run.stdout) as { data: { backups: Array<Record<string, unknown>> } }).data.backups;
    expect(rows.map((r) => [r['slug'], r['name'], r['date'], r['type'], r['homeassistant']])).toEqual(
      [...BACKUPS].sort((a, b) => Date.parse(b.date) - Date.parse(a.date)).map((b) => [b.slug, b.name, b.date, b.type, b.version]),
    );
    for (const r of rows) expect(r['size_bytes']).toBe(statSync(join(tmp.dir, `${String(r['slug'])}.tar`)).size);
  });

  it('backups export --all: byte-identical tars, named as Home Assistant names a download', async () => {
    const dest = join(tmp.dir, 'export-all');
    mkdirSync(dest);
    const run = await runHa(['--image', card, 'backups', 'export', '--all', dest], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Copied 2 backups \(2 files, 9\.\d MB\) in \d+\.\d s\.\n/);
    // homeassistant/components/backup/util.py suggested_filename_from_name_date: "_".join("{name} {date:%Y-%m-%d %H.%M %S%f}.tar".split())
    expect(readdirSync(dest).sort()).toEqual(['Automatic_backup_2026.11.2_2026-11-20_03.00_12345678.tar', 'Before_update_2026-11-27_21.15_00000000.tar']);
    expect(createHash('sha256').update(readFileSync(join(dest, 'Automatic_backup_2026.11.2_2026-11-20_03.00_12345678.tar'))).digest('hex')).toBe(tarSha.get('9f1c2e3d'));
    expect(createHash('sha256').update(readFileSync(join(dest, 'Before_update_2026-11-27_21.15_00000000.tar'))).digest('hex')).toBe(tarSha.get('0a1b2c3d'));
  });

  it('backups export SLUG: one backup; a second run refuses to overwrite; an unknown slug names the ones there', async () => {
    const dest = join(tmp.dir, 'export-one');
    mkdirSync(dest);
    expect((await runHa(['--image', card, 'backups', 'export', '0a1b2c3d', dest], { timeoutMs: 60_000 })).code).toBe(0);
    expect(readdirSync(dest)).toEqual(['Before_update_2026-11-27_21.15_00000000.tar']);
    const again = await runHa(['--image', card, 'backups', 'export', '0a1b2c3d', dest], { timeoutMs: 60_000 });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; not overwriting it/);
    const unknown = await runHa(['--image', card, 'backups', 'export', 'nope', dest], { timeoutMs: 60_000 });
    expect(unknown.stderr).toMatch(/^Error: No backup 'nope' on this card\nHint: The card has: 0a1b2c3d, 9f1c2e3d/);
  });
});

describe('files on a card', () => {
  it('files ls shows a folder with types, modes and sizes', async () => {
    const run = await runHa(['--image', card, '--raw-json', 'files', 'ls', '/supervisor/share'], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const rows = (JSON.parse(run.stdout) as { data: { files: Array<Record<string, unknown>> } }).data.files;
    expect(rows).toEqual([expect.objectContaining({ name: 'outside', type: 'link', target: '/etc/passwd' })]);
  });

  it('files cp copies a folder with modes and times, and copies a symlink as a link without following it', async () => {
    const dest = join(tmp.dir, 'copy');
    mkdirSync(dest);
    const run = await runHa(['--image', card, 'files', 'cp', '/supervisor', dest], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Copied \/supervisor \(\d+ files, .*\) in \d+\.\d s\. 1 symlink recreated as links \(not followed\)\.\n$/);
    const auth = '/supervisor/homeassistant/.storage/auth';
    expect(readFileSync(join(dest, 'supervisor', 'homeassistant', '.storage', 'auth'), 'utf8')).toBe(debugfs(card, offset, `cat ${auth}`));
    const stat = debugfs(card, offset, `stat ${auth}`);
    const local = statSync(join(dest, 'supervisor', 'homeassistant', '.storage', 'auth'));
    expect((local.mode & 0o7777).toString(8)).toBe(/Mode:\s+0?(\d+)/.exec(stat)?.[1]);
    expect(Math.floor(local.mtimeMs / 1000)).toBe(Number.parseInt(/mtime: (0x[0-9a-f]+)/.exec(stat)?.[1] ?? '0', 16));
    expect(lstatSync(join(dest, 'supervisor', 'share', 'outside')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dest, 'supervisor', 'share', 'outside'))).toBe('/etc/passwd');
    expect(createHash('sha256').update(readFileSync(join(dest, 'supervisor', 'backup', '9f1c2e3d.tar'))).digest('hex')).toBe(tarSha.get('9f1c2e3d'));
  });

  it('Ctrl-C in the middle of a copy leaves no file under the final name, and no partial one', async () => {
    const dest = join(tmp.dir, 'interrupted');
    mkdirSync(dest);
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'ha.js'), '--image', card, 'files', 'cp', '/supervisor/media/big.bin', join(dest, 'big.bin')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The temporary file appears when the copy has started: then Ctrl-C (SIGINT, as the terminal sends it).
    await new Promise<void>((resolve) => {
      const watcher = watch(dest, (_event, name) => {
        if (name?.includes('.ha-partial-') === true) {
          watcher.close();
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).not.toBe(0);
    expect(readdirSync(dest)).toEqual([]);
  });
});
