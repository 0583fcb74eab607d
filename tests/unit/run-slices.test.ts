import { describe, expect, it } from 'vitest';
import { runSlices, type BlockRun } from '../../src/targets/image/journal/journal-inode';

// Where a byte range of a file lives on disk: the arithmetic both card readers (the TypeScript ext4 reader and
// the direct reads of the ext2fs fallback) use. Blocks of 1 KiB here to keep the numbers small.
const BS = 1024;
const runs: BlockRun[] = [
  { logical: 0, physical: 100, length: 2 }, // file blocks 0-1 at disk blocks 100-101
  // file block 2 is a hole
  { logical: 3, physical: 500, length: 3 }, // 3-5 at 500-502
  { logical: 6, physical: 900, length: 2, unwritten: true }, // preallocated: zeros
  { logical: 8, physical: 50, length: 1 },
];

describe('runSlices', () => {
  it('maps a range inside one run to one slice, offset within the block kept', () => {
    expect(runSlices(runs, BS, 10, 100)).toEqual([{ outOffset: 0, physicalByte: 100 * BS + 10, length: 100 }]);
  });

  it('splits a range across runs and leaves holes and unwritten runs out', () => {
    // bytes 1.5 KiB .. 8.5 KiB: rest of block 1, [hole 2], blocks 3-5, [unwritten 6-7], half of block 8
    const slices = runSlices(runs, BS, 1536, 7 * BS);
    expect(slices).toEqual([
      { outOffset: 0, physicalByte: 101 * BS + 512, length: 512 },
      { outOffset: 1536, physicalByte: 500 * BS, length: 3 * BS },
      { outOffset: 8 * BS - 1536, physicalByte: 50 * BS, length: 512 },
    ]);
  });

  it('gives nothing for an empty range, a range in a hole, or past every run', () => {
    expect(runSlices(runs, BS, 0, 0)).toEqual([]);
    expect(runSlices(runs, BS, 2 * BS + 7, 100)).toEqual([]);
    expect(runSlices(runs, BS, 20 * BS, BS)).toEqual([]);
  });

  it('covers exactly the mapped bytes of a whole file, in order', () => {
    const slices = runSlices(runs, BS, 0, 9 * BS);
    expect(slices.map((s) => s.length).reduce((a, b) => a + b, 0)).toBe(6 * BS);
    expect(slices.map((s) => s.outOffset)).toEqual([0, 3 * BS, 8 * BS]);
  });
});
