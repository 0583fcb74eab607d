import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { REPO_ROOT } from './terminal-session';

// Config folders for the account-recovery tests (issue 15), written by scripts/make-test-image-storage.mjs in
// Core's formats: two-factor enrolments (auth_module.totp / auth_module.notify), a deactivated and a local-only user.

/** The users: alice (owner, authenticator app), bob (app and notify), carol (deactivated), dave (local only). */
export const ACCOUNT_USERS = {
  cost: 4,
  users: [
    { username: 'alice', password: 'alice-pass', mfa: ['totp'] },
    { username: 'bob', password: 'bob-pass', mfa: ['totp', 'notify'] },
    { username: 'carol', password: 'carol-pass', active: false },
    { username: 'dave', password: 'dave-pass', localOnly: true },
  ],
};

/** Removes the folders makeAccountsConfig made (for afterAll). */
export function removeAccountsConfigs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The users JSON as a file, for `scripts/make-test-image --storage-json`. */
export function accountUsersFile(dir: string): string {
  const file = join(dir, 'account-users.json');
  writeFileSync(file, JSON.stringify(ACCOUNT_USERS));
  return file;
}

const made: string[] = [];

/** A fresh config folder holding ACCOUNT_USERS (removed by {@link removeAccountsConfigs}). */
export function makeAccountsConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ha-accounts-'));
  made.push(dir);
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'make-test-image-storage.mjs'), dir], { input: JSON.stringify(ACCOUNT_USERS) });
  return dir;
}

/** A parsed store file. */
export interface StoreFile {
  version: number;
  minor_version: number;
  key: string;
  data: Record<string, unknown>;
}

/** Parses a store's bytes. */
export function parseStore(bytes: Buffer): StoreFile {
  return JSON.parse(bytes.toString('utf8')) as StoreFile;
}

/** The bytes Python's json.dumps(indent=2, ensure_ascii=False) writes for `value` (Core's style for these stores): the judge of format. */
export function pythonJson(value: unknown): Buffer {
  const script = 'import json,sys; sys.stdout.buffer.write(json.dumps(json.loads(sys.stdin.buffer.read()), indent=2, ensure_ascii=False).encode())';
  return execFileSync('python3', ['-c', script], { input: JSON.stringify(value) });
}

/** User id of a login name in an `auth` store. */
export function userIdOf(auth: StoreFile, username: string): string {
  const credentials = auth.data['credentials'] as { user_id: string; data: { username?: string } }[];
  const id = credentials.find((c) => c.data.username === username)?.user_id;
  if (id === undefined) throw new Error(`no credential for ${username}`);
  return id;
}

/** True when `password` verifies against `username`'s entry of an auth_provider.homeassistant store. */
export function providerPasswordMatches(provider: StoreFile, username: string, password: string): boolean {
  const user = (provider.data['users'] as { username: string; password: string }[]).find((u) => u.username === username);
  return user !== undefined && bcrypt.compareSync(password, Buffer.from(user.password, 'base64').toString('ascii'));
}
