import type { BlockOverlay } from '../block-overlay';
import { SUPERBLOCK_SIZE_BYTES, superblockPlace } from '../superblock';
import { CARRIED_RO_COMPAT, withCarriedFeatures } from './after-replay';

/**
 * The superblock view that hides the read-only features ext2fs does not know but need nothing from it
 * (orphan_present: orphans the kernel or e2fsck cleans up later) and stores them back unchanged on write.
 * Undefined when the superblock has none of them.
 */
export async function carriedFeaturesView(overlay: BlockOverlay): Promise<BlockOverlay['superblockView']> {
  const place = superblockPlace(overlay.blockSize);
  const block = await overlay.baseBlock(place.block);
  const bits = block.readUInt32LE(place.offset + 0x64) & CARRIED_RO_COMPAT;
  if (bits === 0) return undefined;
  return {
    show: (sb) => withCarriedFeatures(sb.subarray(0, SUPERBLOCK_SIZE_BYTES), 0),
    store: (sb) => withCarriedFeatures(sb.subarray(0, SUPERBLOCK_SIZE_BYTES), bits),
  };
}
