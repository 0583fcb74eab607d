import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/emulator';
import { openConfigDirTarget } from '../../src/targets/config-dir/open';
import { REPO_ROOT } from './terminal-session';

/** A throw-away copy of the demo config folder. */
export function copyDemoConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ha-config-'));
  cpSync(join(REPO_ROOT, 'assets', 'demo-config'), dir, { recursive: true });
  return dir;
}

/** An emulator whose auth acts on a fresh copy of the demo config. */
export async function startDemoEmulator(options: EmulatorOptions = {}): Promise<{ emulator: Emulator; configDir: string }> {
  const configDir = copyDemoConfig();
  const emulator = await createEmulator({ followIntervalMs: 100, ...options, auth: openConfigDirTarget(configDir, { isRunning: async () => undefined }) });
  return { emulator, configDir };
}

/** True when `password` is the stored password of `username` in a config folder (checked with bcrypt). */
export function passwordMatches(configDir: string, username: string, password: string): boolean {
  const store = JSON.parse(readFileSync(join(configDir, '.storage', 'auth_provider.homeassistant'), 'utf8')) as { data: { users: { username: string; password: string }[] } };
  const user = store.data.users.find((u) => u.username === username);
  if (!user) return false;
  return bcrypt.compareSync(password, Buffer.from(user.password, 'base64').toString('ascii'));
}
