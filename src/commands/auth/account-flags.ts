import { UsageError } from '../../errors/usage-error';
import { safeInline } from '../../render/safe-text';
import type { FlagSpec, ParsedArgs } from '../types';

/** `--username NAME` of the account commands. */
export const USERNAME_FLAG: FlagSpec = { name: 'username', kind: 'string', valueName: 'NAME', description: 'Login name of the user (see auth list)' };
/** `--force`: write although Home Assistant seems to run on the folder. */
export const FORCE_FLAG: FlagSpec = { name: 'force', kind: 'boolean', description: 'Offline: write even though Home Assistant seems to be running there' };
/** `--yes`: on a device, stop and restart Core around the change without asking. */
export const YES_FLAG: FlagSpec = { name: 'yes', short: 'y', kind: 'boolean', description: 'On a device: stop Core, make the change and start Core again without asking' };

/** The `--username` value, or a usage error naming the command. */
export function requireUsername(args: ParsedArgs, path: string): string {
  const value = args.flags['username'];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${path} needs --username.`, `Example: ${path} --username alice (see 'auth list' for login names).`);
  return value;
}

/** A login name as a shell word for a suggested command line, made safe for the terminal. */
export function shellWord(name: string): string {
  return safeInline(/^[\w.@+-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`);
}
