import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Feature, journalSuperblockChecksum, nextLogBlock, parseJournalSuperblock, withJournalState } from '../../src/targets/image/journal/jbd2-format';
import { planReplay } from '../../src/targets/image/journal/jbd2-recovery';
import { buildTransaction, tagsPerDescriptor } from '../../src/targets/image/journal/jbd2-transaction';
import { editSuperblockInBlock, superblockPlace, withNeedsRecovery } from '../../src/targets/image/superblock';
import { fileBlocks, fsckRepair, fsckReadOnly, makeDataFs, openBareFs, sha256, superblockOf } from '../helpers/journal-fixture';
import { commitSession } from '../../src/targets/image/journal/commit-session';
import { makeTempDir } from './image-fixture';

// Our transaction writer judged by e2fsck: transactions laid into the journal with each combination of
// journal features (32/64-bit tags, checksum v1/v2/v3, none), some wrapping around the end of the log;
// e2fsck -fy must replay them (its own recovery code) and leave exactly our blocks, and our reader must
// plan the same blocks.

let work: { dir: string; cleanup: () => void };
beforeAll(() => {
  work = makeTempDir();
});
afterAll(() => work.cleanup());

const FEATURES = [
  { name: 'none', compat: 0, incompat: 0 },
  { name: '64bit', compat: 0, incompat: Feature.incompat64bit },
  { name: 'revoke+64bit+csum-v2', compat: 0, incompat: Feature.incompatRevoke | Feature.incompat64bit | Feature.incompatCsumV2 },
  { name: 'csum-v2 32-bit', compat: 0, incompat: Feature.incompatCsumV2 },
  { name: 'revoke+64bit+csum-v3', compat: 0, incompat: Feature.incompatRevoke | Feature.incompat64bit | Feature.incompatCsumV3 },
  { name: 'checksum v1', compat: Feature.compatChecksum, incompat: Feature.incompatRevoke },
];

function pattern(size: number, seed: number): Buffer {
  const block = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) block.writeUInt32LE((seed * 0x9e3779b1 + i * 0x85ebca6b) >>> 0, i);
  if (seed % 3 === 0) block.writeUInt32BE(0xc03b3998, 0); // needs escaping in the log
  return block;
}

/** Sets the journal's features (and checksum) the way tune2fs/the kernel would have left them. */
function withFeatures(jsb: Buffer, compat: number, incompat: number): Buffer {
  const copy = Buffer.from(jsb);
  copy.writeUInt32BE(compat, 0x24);
  copy.writeUInt32BE(incompat, 0x28);
  if (incompat & (Feature.incompatCsumV2 | Feature.incompatCsumV3)) {
    copy.writeUInt8(4, 0x50); // JBD2_CRC32C_CHKSUM
    copy.writeUInt32BE(journalSuperblockChecksum(copy), 0xfc);
  }
  return copy;
}

describe.each(FEATURES)('a transaction written by us, journal features $name', ({ name, compat, incompat }) => {
  it.each([{ wrap: false }, { wrap: true }])('is replayed by e2fsck exactly (wrap around the log end: $wrap)', async ({ wrap }) => {
    const image = makeDataFs(join(work.dir, `${name}-${wrap}.img`), work.dir, { blockSize: 1024, sizeMiB: 32, journalMiB: 1 });
    const journalBlocks = fileBlocks(image, '<8>');
    const opened = await openBareFs(image, true);
    const bs = opened.overlay.blockSize;
    const sbInfo = superblockOf(image);
    const total = sbInfo.sizeBytes / bs;
    let jsbBlock: Buffer = Buffer.alloc(0);
    let expected = new Map<number, Buffer>();
    try {
      const card = opened.journal.card;
      if (card === undefined) throw new Error('no journal');
      jsbBlock = withFeatures(card.superblockBlock, compat, incompat);
      const sb = parseJournalSuperblock(jsbBlock);
      // Enough blocks for two descriptor blocks; free blocks at the end of the filesystem.
      const count = tagsPerDescriptor(sb) + 3;
      const blocks = Array.from({ length: count }, (_, i) => ({ fsBlock: total - count - 8 + i, data: pattern(bs, i + 1) }));
      expected = new Map(blocks.map((b) => [b.fsBlock, b.data]));
      const log = buildTransaction(sb, 77, blocks, 1_700_000_000);
      const start = wrap ? sb.maxLen - 5 : sb.first;
      let at = start;
      for (const block of log) {
        await opened.overlay.writeHome([{ fsBlock: card.fsBlockOf(at), data: block }]);
        at = nextLogBlock(sb, at);
      }
      await opened.overlay.writeHome([{ fsBlock: card.fsBlockOf(0), data: withJournalState(jsbBlock, { start, sequence: 77 }) }]);
      const place = superblockPlace(bs);
      const sbBlock = await opened.overlay.cardBlock(place.block);
      await opened.overlay.writeHome([{ fsBlock: place.block, data: editSuperblockInBlock(sbBlock, bs, (s) => withNeedsRecovery(s, true)) }]);
      await opened.disk.flush();
    } finally {
      await opened.close();
    }

    // Our reader plans exactly these blocks.
    const reread = await openBareFs(image);
    try {
      const plan = reread.journal.plan;
      expect(plan?.endTransaction).toBe(78);
      expect([...(plan?.blocks.keys() ?? [])].sort((a, b) => a - b)).toEqual([...expected.keys()]);
      for (const [block, data] of expected) expect(plan?.blocks.get(block)).toEqual(data);
    } finally {
      await reread.close();
    }

    // e2fsck's own recovery replays it and finds nothing else to fix.
    const judged = join(work.dir, `${name}-${wrap}-judged.img`);
    copyFileSync(image, judged);
    const repair = fsckRepair(judged);
    expect(repair.output).toMatch(/recovering journal/);
    expect(repair.status, repair.output).toBeLessThanOrEqual(1);
    expect(fsckReadOnly(judged).status).toBe(0);
    const bytes = readFileSync(judged);
    for (const [block, data] of expected) expect(bytes.subarray(block * bs, (block + 1) * bs)).toEqual(data);
    expect(journalBlocks.length).toBeGreaterThan(0);
  });
});

describe('the reader against our writer', () => {
  it('stops at a commit block with a wrong checksum and refuses (the kernel refuses to mount)', async () => {
    const image = makeDataFs(join(work.dir, 'bad-commit.img'), work.dir, { blockSize: 1024, sizeMiB: 32, journalMiB: 1 });
    const opened = await openBareFs(image, true);
    try {
      const card = opened.journal.card;
      if (card === undefined) throw new Error('no journal');
      const jsb = withFeatures(card.superblockBlock, 0, Feature.incompat64bit | Feature.incompatCsumV3);
      const sb = parseJournalSuperblock(jsb);
      const log = buildTransaction(sb, 5, [{ fsBlock: 30000, data: pattern(1024, 1) }], 1_700_000_000);
      const commit = log[log.length - 1];
      if (commit === undefined) throw new Error('no commit block');
      commit[0x40] = (commit[0x40] ?? 0) ^ 0xff; // damage the commit block after its checksum was set
      const blocks = new Map(log.map((data, i) => [sb.first + i, data]));
      await expect(planReplay({ sb: parseJournalSuperblock(withJournalState(jsb, { start: sb.first, sequence: 5 })), read: async (n) => blocks.get(n) ?? Buffer.alloc(1024) }))
        .rejects.toThrow(/transaction 5 in the journal is corrupt/);
    } finally {
      await opened.close();
    }
  });

  it('refuses a change larger than the journal before anything is written', async () => {
    const image = makeDataFs(join(work.dir, 'too-large.img'), work.dir, { blockSize: 1024, sizeMiB: 32, journalMiB: 1 });
    const before = sha256(image);
    const opened = await openBareFs(image, true);
    try {
      const total = superblockOf(image).sizeBytes / 1024;
      // 1100 changed blocks cannot fit a 1024-block journal with its descriptors and commit block.
      for (let i = 0; i < 1100; i += 1) opened.overlay.captured.set(total - 1200 + i, pattern(1024, i + 7));
      await expect(commitSession(opened.overlay, opened.disk, opened.journal, 'test')).rejects.toThrow(/too large for the data partition's journal .*nothing was written/);
    } finally {
      await opened.close();
    }
    expect(sha256(image)).toBe(before);
  });
});
