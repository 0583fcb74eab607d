// `scheme://user:password@` (or `scheme://token@`) inside any text: the part before `@` is a credential.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** Replaces credentials in URLs (`http://user:pw@host`) with `***`, for every message that may name an endpoint (pure). */
export function maskCredentials(text: string): string {
  return text.includes('@') ? text.replace(URL_CREDENTIALS, '$1***@') : text;
}
