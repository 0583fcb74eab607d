import { readFileSync } from 'node:fs';

/**
 * Reads the CLI plugin's token from its config file (`{"access_token": "..."}`, supervisor/plugins/cli.py:56-58;
 * a new one is written each time the plugin starts, cli.py:75-76). Undefined when the file is missing,
 * unreadable or has no token. Never throws and never logs the token.
 */
export function readCliToken(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || !('access_token' in value)) return undefined;
    const token = value.access_token;
    return typeof token === 'string' && token.trim() !== '' ? token.trim() : undefined;
  } catch {
    return undefined;
  }
}
