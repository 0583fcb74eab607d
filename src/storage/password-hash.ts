import { randomBytes } from 'node:crypto';
import { HaError } from '../errors/ha-error';

/** bcrypt cost Home Assistant uses (auth/providers/homeassistant.py: `bcrypt.gensalt(rounds=12)`). */
export const BCRYPT_COST = 12;
/** bcrypt reads at most this many key BYTES; Core truncates `password.encode()[:72]`. */
export const BCRYPT_MAX_BYTES = 72;
const SALT_BYTES = 16;

type BcryptJs = typeof import('bcryptjs');
let bcryptModule: BcryptJs | undefined;
// bcryptjs costs ~16 ms to load: only when a password is hashed or checked.
function bcrypt(): BcryptJs {
  bcryptModule ??= require('bcryptjs') as BcryptJs;
  return bcryptModule;
}

/** Refuses passwords Core could not store or that would hash differently elsewhere. */
export function checkNewPassword(password: string): void {
  if (password.length === 0) throw new HaError('The new password is empty', { hint: 'Give a password with --password or type one at the prompt.' });
  if (/\p{Cs}/u.test(password)) throw new HaError('The new password is not valid Unicode text');
  if (password.includes('\0')) throw new HaError('The new password contains a NUL character, which bcrypt cannot hash');
}

/**
 * The exact string to hand bcryptjs so it hashes what Python's `bcrypt.hashpw(pw.encode()[:72])` does.
 * bcryptjs encodes strings to UTF-8 itself, appends a NUL and uses only the first 72 key bytes, so
 * characters wholly past byte 72 are dropped and a character cut by byte 72 is KEPT whole: its first
 * bytes are the ones Python keeps, and bcrypt never reads the rest. (Cutting it at a character boundary
 * instead would put the NUL where Python has the partial byte: a different hash.)
 */
export function bcryptKeyString(password: string): string {
  let bytes = 0;
  let out = '';
  for (const ch of password) {
    if (bytes >= BCRYPT_MAX_BYTES) break;
    out += ch;
    bytes += Buffer.byteLength(ch, 'utf8');
  }
  return out;
}

/** Hashes a new password as Core stores it: base64 of the ASCII `$2b$12$...` string. */
export async function hashPassword(password: string): Promise<string> {
  checkNewPassword(password);
  const salt = `$2b$${BCRYPT_COST}$${bcrypt().encodeBase64(randomBytes(SALT_BYTES), SALT_BYTES)}`;
  const hash = await bcrypt().hash(bcryptKeyString(password), salt);
  return Buffer.from(hash, 'ascii').toString('base64');
}

/** Checks a password against a stored (base64) hash; `$2a$`, `$2b$` and `$2y$` all verify. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const hash = Buffer.from(stored, 'base64').toString('latin1');
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return false;
  return bcrypt().compare(bcryptKeyString(password), hash);
}
