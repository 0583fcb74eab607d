import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bcryptVerify } from 'hash-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { openConfigDirTarget } from '../../src/targets/config-dir/open';

const DEMO = join(__dirname, '../../assets/demo-config');
const PYTHON_WITH_BCRYPT = ['/usr/bin/python3', 'python3'].find((py) => spawnSync(py, ['-c', 'import bcrypt']).status === 0);
const NOT_RUNNING = { isRunning: async () => undefined };
const dirs: string[] = [];

function demoCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ha-config-'));
  dirs.push(dir);
  cpSync(DEMO, dir, { recursive: true });
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const read = (dir: string, key: string): Buffer => readFileSync(join(dir, '.storage', key));

describe('config folder target', () => {
  it('lists the demo users without system users', async () => {
    const users = await openConfigDirTarget(demoCopy(), NOT_RUNNING)((t) => t.listUsers());
    expect(users.map((u) => [u.username, u.name, u.isOwner])).toEqual([['alice', 'Alice', true], ['bob', 'Bob', false]]);
  });

  it('resets a password: verifiable by other bcrypt implementations, 0600, exactly the format Core writes', async () => {
    const dir = demoCopy();
    const authBefore = read(dir, 'auth');
    const providerBefore = JSON.parse(read(dir, 'auth_provider.homeassistant').toString()) as { data: { users: { password: string }[] } };
    const password = 'correct horse ✓ battery';
    const outcome = await openConfigDirTarget(dir)((t) => t.resetPassword('Alice', password, { force: false }));
    expect(outcome.updated).toEqual(['alice']);

    const bytes = read(dir, 'auth_provider.homeassistant');
    expect(statSync(join(dir, '.storage/auth_provider.homeassistant')).mode & 0o777).toBe(0o600);
    expect(bytes.at(-1)).toBe(0x7d); // no trailing newline
    const py = spawnSync('python3', ['-c', 'import json,sys; sys.stdout.buffer.write(json.dumps(json.loads(sys.stdin.buffer.read()), indent=2, ensure_ascii=False).encode())'], { input: bytes });
    expect(py.stdout.equals(bytes)).toBe(true);
    expect(Object.keys(JSON.parse(bytes.toString()) as object)).toEqual(['version', 'minor_version', 'key', 'data']);

    const users = (JSON.parse(bytes.toString()) as { data: { users: { username: string; password: string }[] } }).data.users;
    expect(users[1]?.password).toBe(providerBefore.data.users[1]?.password);
    const hash = Buffer.from(users[0]?.password ?? '', 'base64').toString('ascii');
    expect(await bcryptVerify({ password: Buffer.from(password).subarray(0, 72), hash })).toBe(true);
    if (PYTHON_WITH_BCRYPT !== undefined) {
      const check = spawnSync(PYTHON_WITH_BCRYPT, ['-c', 'import bcrypt,sys; h=sys.stdin.buffer.read().split(b"\\n"); print(bcrypt.checkpw(h[0][:72], h[1]))'], {
        input: Buffer.concat([Buffer.from(password), Buffer.from('\n'), Buffer.from(hash)]),
        encoding: 'utf8',
      });
      expect(check.stdout.trim()).toBe('True');
    }
    expect(read(dir, 'auth').equals(authBefore)).toBe(true);
    expect(readdirSync(join(dir, '.storage')).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('leaves a corrupt auth file byte-identical and changes nothing', async () => {
    const dir = demoCopy();
    const corrupt = Buffer.concat([read(dir, 'auth').subarray(0, 700), Buffer.from('\n  "trunc')]);
    writeFileSync(join(dir, '.storage/auth'), corrupt);
    const providerBefore = read(dir, 'auth_provider.homeassistant');
    const error = await openConfigDirTarget(dir, NOT_RUNNING)((t) => t.resetPassword('alice', 'x1', { force: false })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaError);
    expect((error as HaError).message).toMatch(/^\.storage\/auth is not valid JSON \(line \d+\): Home Assistant would start with no users; nothing was changed$/);
    expect(read(dir, 'auth').equals(corrupt)).toBe(true);
    expect(read(dir, 'auth_provider.homeassistant').equals(providerBefore)).toBe(true);
  });

  it('onboarding reset moves the files into a backup folder it names, and they can be moved back', async () => {
    const dir = demoCopy();
    const before = Object.fromEntries(['auth', 'auth_provider.homeassistant', 'onboarding', 'hassio'].map((k) => [k, read(dir, k)]));
    const outcome = await openConfigDirTarget(dir, NOT_RUNNING)((t) => t.resetOnboarding({ force: false }));
    expect(outcome.backupDir).toMatch(/^\.storage\/backup-onboarding-\d{8}-\d{6}$/);
    expect([...outcome.moved].sort()).toEqual(Object.keys(before).sort());
    for (const [key, bytes] of Object.entries(before)) {
      expect(readFileSync(join(dir, outcome.backupDir, key)).equals(bytes)).toBe(true);
      expect(() => statSync(join(dir, '.storage', key))).toThrow();
    }
    expect(read(dir, 'core.config').length).toBeGreaterThan(0);
    expect(await openConfigDirTarget(dir, NOT_RUNNING)((t) => t.listUsers())).toEqual([]);
  });

  it('says clearly when the folder is not a Home Assistant config folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-empty-'));
    dirs.push(dir);
    const error = await openConfigDirTarget(dir)((t) => t.listUsers()).catch((e: unknown) => e);
    expect((error as HaError).message).toMatch(/is not a Home Assistant config folder \(it has no \.storage folder\)$/);
    expect((error as HaError).hint).toMatch(/folder that holds \.storage/);
    const missing = await openConfigDirTarget(join(dir, 'nope'))((t) => t.listUsers()).catch((e: unknown) => e);
    expect((missing as HaError).message).toMatch(/does not exist/);
  });
});
