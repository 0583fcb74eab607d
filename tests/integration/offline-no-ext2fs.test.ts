import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runHa } from '../helpers/run-ha';
import { journalctl, logEntry, writeJournal } from '../helpers/systemd-journal-fixture';
import { debugfs, makeImage, makeTempDir, partitionOffset, sha256 } from './image-fixture';

// Read-only commands on a card never load the ext2fs WASM package: they go through the TypeScript reader
// (src/targets/image/ext4-read). A preloaded hook records every require('ext2fs') in a marker file; a write
// (auth reset) is run last to show the hook does see ext2fs when it is loaded.

const MACHINE_ID = '0123456789abcdef0123456789abcdef';
const HOOK = `const Module = require('module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'ext2fs') require('fs').appendFileSync(process.env.EXT2FS_MARK, 'ext2fs loaded\\n');
  return load.call(this, request, ...rest);
};
`;

let tmp: { dir: string; cleanup: () => void };
let card: string;
let journalFile: string;
let env: Record<string, string>;
let mark: string;

beforeAll(() => {
  tmp = makeTempDir();
  card = makeImage(join(tmp.dir, 'card.img'), ['--bcrypt-cost', '4']);
  const offset = partitionOffset(card);
  journalFile = join(tmp.dir, 'system.journal');
  writeJournal(journalFile, Array.from({ length: 50 }, (_, i) => logEntry({
    realtimeUs: 1_764_400_000_000_000 + i * 1_000_000, monotonicUs: 1_000_000 + i, bootId: 'ab'.repeat(16), ident: i % 2 === 0 ? 'homeassistant' : 'kernel', pid: 7, message: `line ${i}`,
  })), { compress: false });
  debugfs(card, offset, 'mkdir /logs', true);
  debugfs(card, offset, `mkdir /logs/${MACHINE_ID}`, true);
  debugfs(card, offset, `write ${journalFile} /logs/${MACHINE_ID}/system.journal`, true);
  const src = join(tmp.dir, 'backup');
  mkdirSync(src);
  writeFileSync(join(src, 'backup.json'), JSON.stringify({ slug: 'abcd1234', name: 'Nightly', date: '2026-11-29T03:00:00+00:00', type: 'full', homeassistant: { version: '2026.11.3' } }));
  execFileSync('tar', ['-cf', join(tmp.dir, 'abcd1234.tar'), '-C', src, './backup.json']);
  try { debugfs(card, offset, 'mkdir /supervisor/backup', true); } catch { /* already there */ }
  debugfs(card, offset, `write ${join(tmp.dir, 'abcd1234.tar')} /supervisor/backup/abcd1234.tar`, true);
  writeFileSync(join(tmp.dir, 'hook.cjs'), HOOK);
  mark = join(tmp.dir, 'ext2fs-mark');
  env = { NODE_OPTIONS: `--require ${join(tmp.dir, 'hook.cjs')}`, EXT2FS_MARK: mark };
}, 120_000);

afterAll(() => tmp.cleanup());

it('read-only commands answer from the card without loading ext2fs; a write loads it', async () => {
  const before = sha256(card);
  const copy = join(tmp.dir, 'copied');
  const runs: Array<{ args: string[]; check: (stdout: string) => void }> = [
    { args: ['auth', 'list'], check: (out) => expect(out).toMatch(/alice/) },
    { args: ['--raw-json', 'info'], check: (out) => expect(out).toMatch(/"supervisor\/homeassistant\/\.storage"/) },
    { args: ['--raw-json', 'backups', 'list'], check: (out) => expect(out).toMatch(/"slug":"abcd1234"/) },
    { args: ['files', 'ls', '/supervisor'], check: (out) => expect(out).toMatch(/homeassistant/) },
    { args: ['files', 'cp', '/supervisor/homeassistant', copy], check: () => expect(existsSync(join(copy, '.storage', 'auth'))).toBe(true) },
    { args: ['core', 'logs', '--no-pager'], check: (out) => expect(out).toBe(journalctl([journalFile], ['-t', 'homeassistant', '-o', 'cat'])) },
    { args: ['--raw-json', 'host', 'logs', 'boots'], check: (out) => expect(out).toMatch(/abababab/) },
  ];
  for (const { args, check } of runs) {
    const run = await runHa(['--image', card, ...args], { env, timeoutMs: 60_000 });
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    check(run.stdout);
    expect(existsSync(mark), `${args.join(' ')} loaded ext2fs`).toBe(false);
  }
  expect(sha256(card)).toBe(before);
  rmSync(copy, { recursive: true, force: true });
  const write = await runHa(['--image', card, 'auth', 'reset', '--username', 'alice', '--password', 'a-new-test-password'], { env, timeoutMs: 60_000 });
  expect(write.code, write.stderr).toBe(0);
  expect(readFileSync(mark, 'utf8')).toMatch(/ext2fs loaded/);
}, 300_000);
