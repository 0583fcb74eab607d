import { createApiCommand } from '../api-command';
import type { GroupSpec } from '../types';
import { authActivateCommand } from './activate';
import { authAddCommand } from './add';
import { authListCommand } from './list';
import { authLocalOnlyCommand } from './local-only';
import { authMfaCommand } from './mfa';
import { authResetCommand } from './reset';

/** `auth ...`: users, passwords, two-factor logins and account switches. */
export const authGroup: GroupSpec = {
  name: 'auth',
  aliases: ['authentication', 'au'],
  summary: 'Users and logins: list, reset a password, two-factor, add, activate',
  commands: [
    authListCommand,
    authResetCommand,
    authMfaCommand,
    authAddCommand,
    authActivateCommand,
    authLocalOnlyCommand,
    createApiCommand({ name: 'cache', summary: "Clear the Supervisor's login cache", fetch: (c, _a, o) => c.authCacheClear(o) }),
  ],
};
