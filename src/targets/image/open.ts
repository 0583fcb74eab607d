import { basename } from 'node:path';
import { createStorageTarget } from '../../storage/storage-target';
import type { TargetScope } from '../types';
import { partitionName } from './layout';
import { withImage } from './session';

/**
 * Opens the Home Assistant data partition of an SD-card image or block device (`--image PATH`) as a
 * recovery target, through ext2fs: no mount, no root. Every open checks the image first (and refuses with
 * nothing written); with `write` the partition is marked in use while open and always unmounted after.
 * An unmounted image cannot have Home Assistant running on it, so no running check is made.
 */
export function openImageTarget(path: string, options: { write: boolean }): TargetScope {
  return async (fn) =>
    withImage(path, options, async (image) => {
      const description = `image ${basename(path)} (partition ${partitionName(image.partition)})`;
      return fn(createStorageTarget(image.storage, description));
    });
}
