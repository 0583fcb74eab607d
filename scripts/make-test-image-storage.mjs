#!/usr/bin/env node
// Writes a realistic Home Assistant config folder (the `supervisor/homeassistant` part of a HAOS data
// partition) into DIR, for scripts/make-test-image. Test fixtures only: the users' passwords come in on
// stdin as JSON ({"cost": 12, "users": [{"username": "...", "password": "..."}]}), never on argv.
// A user may also say "admin" (default: only the first, the owner), "active": false (deactivated in Settings >
// People), "localOnly": true, "name" (display name) and "mfa": ["totp", "notify"], the modules it enrolled in:
// .storage/auth_module.totp ({"users": {user_id: base32 secret}}, homeassistant/auth/mfa_modules/totp.py:25-26 and
// _async_save) and .storage/auth_module.notify ({"users": {user_id: {"notify_service", "target"}}}, notify.py:38-39,
// NotifySetting and _async_save, which leaves the secret and counter out); both private stores (0600), written
// only when a user enrolled.
// Usage: node scripts/make-test-image-storage.mjs DIR < users.json
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

const hex = (bytes) => randomBytes(bytes).toString('hex');
// pyotp.random_base32(): 32 characters of the RFC 4648 base32 alphabet.
const base32 = () => Array.from(randomBytes(32), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
const store = (key, version, minor, data) => JSON.stringify({ version, minor_version: minor, key, data }, null, 2);

function main() {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error('usage: make-test-image-storage.mjs DIR < users.json');
  const input = JSON.parse(readFileSync(0, 'utf8'));
  const cost = Number.isInteger(input.cost) ? input.cost : 12;
  const storage = join(dir, '.storage');
  mkdirSync(storage, { recursive: true });

  const now = new Date().toISOString().replace('Z', '+00:00');
  const users = [];
  const credentials = [];
  const providerUsers = [];
  const tokens = [];
  const totp = {};
  const notify = {};
  input.users.forEach((entry, index) => {
    const userId = hex(16);
    const credentialId = hex(16);
    const display = entry.name ?? entry.username.charAt(0).toUpperCase() + entry.username.slice(1);
    const admin = entry.admin ?? index === 0;
    users.push({ id: userId, group_ids: [admin ? 'system-admin' : 'system-users'], is_owner: index === 0,
      is_active: entry.active ?? true, name: display, system_generated: false, local_only: entry.localOnly ?? false });
    if (entry.mfa?.includes('totp')) totp[userId] = base32();
    if (entry.mfa?.includes('notify')) notify[userId] = { notify_service: `mobile_app_${entry.username}_phone`, target: null };
    credentials.push({ id: credentialId, user_id: userId, auth_provider_type: 'homeassistant', auth_provider_id: null,
      data: { username: entry.username } });
    const hash = bcrypt.hashSync(entry.password, bcrypt.genSaltSync(cost)).replace(/^\$2[aby]\$/, '$2b$');
    providerUsers.push({ username: entry.username, password: Buffer.from(hash, 'ascii').toString('base64') });
    tokens.push({ id: hex(16), user_id: userId, client_id: 'http://homeassistant.local:8123/', client_name: null,
      client_icon: null, token_type: 'normal', created_at: now, access_token_expiration: 1800.0, token: hex(64),
      jwt_key: hex(64), last_used_at: now, last_used_ip: '192.168.1.20', expire_at: 1893456000.0,
      credential_id: credentialId, version: '2024.6.0' });
  });
  const supervisorId = hex(16);
  users.push({ id: supervisorId, group_ids: ['system-admin'], is_owner: false, is_active: true, name: 'Supervisor',
    system_generated: true, local_only: false });
  tokens.push({ id: hex(16), user_id: supervisorId, client_id: null, client_name: null, client_icon: null,
    token_type: 'system', created_at: now, access_token_expiration: 1800.0, token: hex(64), jwt_key: hex(64),
    last_used_at: now, last_used_ip: null, expire_at: null, credential_id: null, version: '2024.6.0' });

  const groups = [
    { id: 'system-admin', name: 'Administrators' },
    { id: 'system-users', name: 'Users' },
    { id: 'system-read-only', name: 'Read Only' },
  ];
  const files = {
    auth: store('auth', 1, 1, { users, groups, credentials, refresh_tokens: tokens }),
    'auth_provider.homeassistant': store('auth_provider.homeassistant', 1, 1, { users: providerUsers }),
    onboarding: store('onboarding', 4, 1, { done: ['user', 'core_config', 'analytics', 'integration'] }),
    'core.config': store('core.config', 1, 4, { latitude: 52.3731, longitude: 4.8922, elevation: 0,
      unit_system_v2: 'metric', location_name: 'Home', time_zone: 'Europe/Amsterdam', external_url: null,
      internal_url: null, currency: 'EUR', country: 'NL', language: 'en', radius: 100 }),
    hassio: store('hassio', 1, 1, { hassio_user: supervisorId }),
  };
  if (Object.keys(totp).length > 0) files['auth_module.totp'] = store('auth_module.totp', 1, 1, { users: totp });
  if (Object.keys(notify).length > 0) files['auth_module.notify'] = store('auth_module.notify', 1, 1, { users: notify });
  for (const [name, text] of Object.entries(files)) {
    const file = join(storage, name);
    writeFileSync(file, text);
    chmodSync(file, name === 'hassio' ? 0o644 : 0o600);
  }
  writeFileSync(join(dir, '.HA_VERSION'), '2024.6.0');
  writeFileSync(join(dir, 'configuration.yaml'), '# Loads default set of integrations. Do not remove.\ndefault_config:\n');
  const log = [];
  for (let i = 0; i < 40; i += 1) {
    log.push(`2024-06-12 08:${String(i).padStart(2, '0')}:00.123 INFO (MainThread) [homeassistant.core] Test log line ${i}`);
  }
  log.push('2024-06-12 08:41:00.000 WARNING (MainThread) [homeassistant.components.http.ban] Login attempt failed');
  writeFileSync(join(dir, 'home-assistant.log'), `${log.join('\n')}\n`);
}

main();
