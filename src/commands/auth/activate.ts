import type { CommandSpec } from '../types';
import { FORCE_FLAG, USERNAME_FLAG, YES_FLAG } from './account-flags';
import { runSetFlag } from './user-flag';

/** `auth activate`: let a deactivated account log in again (`is_active` in .storage/auth). */
export const authActivateCommand: CommandSpec = {
  name: 'activate',
  summary: 'Let a deactivated account log in again',
  targets: ['supervisor', 'config', 'image'],
  flags: [USERNAME_FLAG, FORCE_FLAG, YES_FLAG],
  examples: ['auth activate --username alice', 'ha --image sdcard.img auth activate --username alice'],
  run: (ctx, args) => runSetFlag(ctx, args, 'auth activate', 'is_active', true, ''),
};
