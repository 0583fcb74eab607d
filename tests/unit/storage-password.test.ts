import { spawnSync } from 'node:child_process';
import { bcryptVerify } from 'hash-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { HaError } from '../../src/errors/ha-error';
import { BCRYPT_COST, bcryptKeyString, hashPassword, verifyPassword } from '../../src/storage/password-hash';

// Debian's python3-bcrypt lives beside /usr/bin/python3; another python3 on PATH may lack it.
const PYTHON_WITH_BCRYPT = ['/usr/bin/python3', 'python3'].find((py) => spawnSync(py, ['-c', 'import bcrypt']).status === 0);

function pythonCheck(password: string, stored: string): { check: boolean; rehash: string } {
  const script =
    'import base64,bcrypt,json,sys\n' +
    'd=json.load(sys.stdin); h=base64.b64decode(d["stored"]); pw=d["pw"].encode()[:72]\n' +
    'print(json.dumps({"check": bcrypt.checkpw(pw, h), "rehash": bcrypt.hashpw(pw, h).decode()}))';
  const py = spawnSync(PYTHON_WITH_BCRYPT ?? 'python3', ['-c', script], { input: JSON.stringify({ pw: password, stored }), encoding: 'utf8' });
  if (py.status !== 0) throw new Error(py.stderr);
  return JSON.parse(py.stdout) as { check: boolean; rehash: string };
}

// 71 ASCII bytes then "é" (2 bytes): Python keeps only its first byte (0xC3) at position 72.
const CUT_INSIDE_CHAR = `${'p'.repeat(71)}é-and-more`;
const CASES = ['demo', 'Pässwörd 😀', CUT_INSIDE_CHAR, `${'a'.repeat(70)}😀`, 'x'.repeat(100)];

// bcrypt at cost 12 is slow on purpose (~0.3 s a hash, more on a busy machine): hash each case once.
const BCRYPT_TIMEOUT_MS = 180_000;
const stored = new Map<string, string>();

describe('bcrypt as Home Assistant stores it', () => {
  beforeAll(async () => {
    for (const password of CASES) stored.set(password, await hashPassword(password));
  }, BCRYPT_TIMEOUT_MS);

  it('keeps the character cut by byte 72 and drops the rest', () => {
    expect(bcryptKeyString(CUT_INSIDE_CHAR)).toBe(`${'p'.repeat(71)}é`);
    expect(bcryptKeyString('x'.repeat(100))).toBe('x'.repeat(72));
    expect(bcryptKeyString('short')).toBe('short');
  });

  it('writes base64 of $2b$12$ and verifies with a second implementation (hash-wasm) on the truncated bytes', async () => {
    for (const password of CASES) {
      const value = stored.get(password) ?? '';
      expect(value).toMatch(/^JDJiJDEy/);
      expect(value).toHaveLength(80);
      const hash = Buffer.from(value, 'base64').toString('ascii');
      expect(hash.startsWith(`$2b$${BCRYPT_COST}$`)).toBe(true);
      const bytes = Buffer.from(password, 'utf8').subarray(0, 72);
      expect(await bcryptVerify({ password: bytes, hash })).toBe(true);
      expect(await verifyPassword(password, value)).toBe(true);
    }
    expect(await verifyPassword('demo!', stored.get('demo') ?? '')).toBe(false);
  }, BCRYPT_TIMEOUT_MS);

  it('a multi-byte cut hashes differently from cutting before the character', async () => {
    const hash = Buffer.from(stored.get(CUT_INSIDE_CHAR) ?? '', 'base64').toString('ascii');
    expect(await bcryptVerify({ password: Buffer.from('p'.repeat(71)), hash })).toBe(false);
    expect(await bcryptVerify({ password: Buffer.concat([Buffer.from('p'.repeat(71)), Buffer.from([0xc3])]), hash })).toBe(true);
  }, BCRYPT_TIMEOUT_MS);

  it.runIf(PYTHON_WITH_BCRYPT !== undefined)('matches python bcrypt.hashpw(pw.encode()[:72]) byte for byte', async () => {
    for (const password of CASES) {
      const value = stored.get(password) ?? '';
      const result = pythonCheck(password, value);
      expect(result.check).toBe(true);
      expect(result.rehash).toBe(Buffer.from(value, 'base64').toString('ascii'));
    }
  }, BCRYPT_TIMEOUT_MS);

  it('verifies $2a$ and $2y$ hashes too', async () => {
    const hash = Buffer.from(stored.get('demo') ?? '', 'base64').toString('ascii');
    for (const prefix of ['$2a$', '$2y$']) {
      expect(await verifyPassword('demo', Buffer.from(prefix + hash.slice(4)).toString('base64'))).toBe(true);
    }
    expect(await verifyPassword('demo', 'bm90IGEgaGFzaA==')).toBe(false);
  }, BCRYPT_TIMEOUT_MS);

  it('refuses passwords it cannot store faithfully', async () => {
    for (const bad of ['', 'a\0b', 'lone\ud800']) await expect(hashPassword(bad)).rejects.toBeInstanceOf(HaError);
  });
});
