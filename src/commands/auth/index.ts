import { createApiCommand } from '../api-command';
import type { GroupSpec } from '../types';
import { authListCommand } from './list';
import { authResetCommand } from './reset';

/** `auth ...`: users and passwords. */
export const authGroup: GroupSpec = {
  name: 'auth',
  aliases: ['authentication', 'au'],
  summary: 'Users and passwords: list users, reset a password',
  commands: [
    authListCommand,
    authResetCommand,
    createApiCommand({ name: 'cache', summary: "Clear the Supervisor's login cache", fetch: (c, _a, o) => c.authCacheClear(o) }),
  ],
};
