import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bcryptVerify } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TABLES, copyImage, fsck, makeImage, makeTempDir, partitionOffset, storedHash } from './image-fixture';

// The recovery path must work where native addons cannot load (wrong architecture, missing build):
// a preload makes every require of node-pty, serialport or any *.node file throw, then `ha --image` runs.

const temp = makeTempDir();
let preload = '';

beforeAll(() => {
  preload = join(temp.dir, 'block-native.cjs');
  writeFileSync(preload, `
    const Module = require('node:module');
    const load = Module._load;
    Module._load = function (request, parent, isMain) {
      if (/^(node-pty|@lydell\\/node-pty|serialport|@serialport\\/)/.test(request) || request.endsWith('.node')) {
        throw new Error('native addon blocked by test: ' + request);
      }
      return load.call(this, request, parent, isMain);
    };
  `);
});
afterAll(() => temp.cleanup());

function ha(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--require', preload, join(ROOT, 'bin', 'ha.js'), ...args], {
    encoding: 'utf8', input: input ?? '', env: { ...process.env, NO_COLOR: '1', SUPERVISOR_TOKEN: '' }, timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('the preload really blocks node-pty', () => {
  const result = spawnSync(process.execPath, ['--require', preload, '-e', "require('node-pty')"], { encoding: 'utf8' });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/native addon blocked by test: node-pty/);
});

describe.each(TABLES)('ha --image without native addons (%s)', (table) => {
  let fixture = '';
  let offset = 0;
  beforeAll(() => {
    fixture = makeImage(join(temp.dir, `fixture-${table}.img`), ['--table', table, '--bcrypt-cost', '4']);
    offset = partitionOffset(fixture);
  });

  it('lists users', () => {
    const image = copyImage(fixture, temp.dir, `list-${table}.img`);
    const result = ha(['--image', image, 'auth', 'list']);
    expect(result.stderr).not.toMatch(/native addon blocked/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/alice/);
    expect(result.stdout).toMatch(/bob/);
  });

  it('resets a password', async () => {
    const image = copyImage(fixture, temp.dir, `reset-${table}.img`);
    const result = ha(['--image', image, 'auth', 'reset', '--username', 'bob', '--password', 'no-native-needed-1']);
    expect(result.stderr).not.toMatch(/native addon blocked/);
    expect(result.status).toBe(0);
    expect(await bcryptVerify({ password: 'no-native-needed-1', hash: storedHash(image, offset, 'bob') })).toBe(true);
    expect(fsck(image, offset).status).toBe(0);
  });
});
