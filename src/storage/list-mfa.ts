import type { MfaRow } from '../targets/types';
import type { StorageFs } from './fs';
import { listUsers } from './list-users';

/** People (system users hidden) with the multi-factor modules each is enrolled in. */
export async function listMfa(fs: StorageFs): Promise<MfaRow[]> {
  return (await listUsers(fs)).map((row) => ({ username: row.username, name: row.name, modules: row.mfa ?? [] }));
}
