import { HaError } from '../errors/ha-error';
import type { WriteOptions } from '../targets/types';

/** Reports why Home Assistant seems to be running on the target, or undefined when it does not. */
export type RunningCheck = () => Promise<string | undefined>;

/** Refuses a write while Core runs on the target (it would overwrite the change), unless forced. */
export async function refuseIfRunning(check: RunningCheck | undefined, options: WriteOptions): Promise<void> {
  if (check === undefined || options.force) return;
  const reason = await check();
  if (reason === undefined) return;
  throw new HaError(
    `Home Assistant appears to be running on this config (${reason}): it would overwrite the change when it saves; nothing was changed`,
    { hint: 'Stop Home Assistant Core first (`ha core stop` on the device, `docker stop` for a container), or add --force if it is not using this folder.' },
  );
}
