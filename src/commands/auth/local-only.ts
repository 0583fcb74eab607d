import { UsageError } from '../../errors/usage-error';
import { safeInline } from '../../render/safe-text';
import type { CommandSpec } from '../types';
import { FORCE_FLAG, USERNAME_FLAG, YES_FLAG } from './account-flags';
import { runSetFlag } from './user-flag';

/** `auth local-only on|off`: whether an account may log in only from the local network (`local_only`). */
export const authLocalOnlyCommand: CommandSpec = {
  name: 'local-only',
  summary: 'Limit an account to the local network (on) or let it log in from anywhere (off)',
  usage: 'on|off',
  maxPositionals: 1,
  targets: ['supervisor', 'config', 'image'],
  flags: [USERNAME_FLAG, FORCE_FLAG, YES_FLAG],
  examples: ['auth local-only --username alice off', 'ha --image sdcard.img auth local-only --username alice off'],
  run(ctx, args) {
    const value = args.positionals[0];
    if (value !== 'on' && value !== 'off') {
      throw new UsageError(`auth local-only needs on or off${value === undefined ? '' : `, not '${safeInline(value)}'`}.`, 'Example: auth local-only --username alice off (log in from anywhere again)');
    }
    return runSetFlag(ctx, args, 'auth local-only', 'local_only', value === 'on', ` ${value}`);
  },
};
