import type { Ext2Disk } from 'ext2fs';

/** Where the primary superblock is, in bytes from the partition's start. */
const SB_START = 1024;
const SB_END = 2048;

/** The raw image: reads and writes at absolute byte positions, and a flush to stable storage. */
export interface RawImage {
  readRaw(length: number, position: number): Promise<Buffer>;
  writeRaw(data: Buffer, position: number): Promise<void>;
  flush(): Promise<void>;
}

/**
 * The data partition as ext2fs sees it: the card's blocks, under the blocks a pending journal replay would
 * write (`replayed`), under every block ext2fs wrote in this session (`captured`). Nothing ext2fs does
 * reaches the card: the session decides afterwards what to commit, and how (journal transaction or not).
 * Positions are absolute in the image; blocks are numbered from the partition's start.
 */
export class BlockOverlay implements Ext2Disk {
  /** Blocks a journal replay contributes (read-only layer). */
  readonly replayed = new Map<number, Buffer>();
  /** Blocks written by ext2fs during this session. */
  readonly captured = new Map<number, Buffer>();
  /**
   * How the primary superblock is shown to ext2fs and stored back from it: lets features the ext2fs
   * package does not know (but that need no action from it) pass through unchanged.
   */
  superblockView: { show(sb: Buffer): Buffer; store(sb: Buffer): Buffer } | undefined;

  constructor(
    private readonly raw: RawImage,
    /** Byte offset of the partition in the image. */
    readonly partitionOffset: number,
    /** Bytes of the filesystem; writes beyond it are refused (never into the next partition). */
    readonly fsBytes: number,
    readonly blockSize: number,
  ) {}

  /** The block's contents as this session sees them. */
  async readBlock(block: number): Promise<Buffer> {
    const mine = this.captured.get(block) ?? this.replayed.get(block);
    if (mine !== undefined) return Buffer.from(mine);
    return this.cardBlock(block);
  }

  /** The block as it is on the card, under any replay. */
  async cardBlock(block: number): Promise<Buffer> {
    return this.cardBytes(block, 1);
  }

  /** `count` blocks from `first` as they are on the card (zeros past the end of a short image). */
  async cardBytes(first: number, count: number): Promise<Buffer> {
    const length = count * this.blockSize;
    const data = await this.raw.readRaw(length, this.partitionOffset + first * this.blockSize);
    if (data.length === length) return data;
    const full = Buffer.alloc(length);
    data.copy(full);
    return full;
  }

  /** The block with the replay applied, without this session's writes. */
  async baseBlock(block: number): Promise<Buffer> {
    const replay = this.replayed.get(block);
    return replay !== undefined ? Buffer.from(replay) : this.cardBlock(block);
  }

  async read(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<{ bytesRead: number; buffer: Buffer }> {
    const data = await this.raw.readRaw(length, fileOffset);
    data.copy(buffer, bufferOffset);
    if (data.length < length) buffer.fill(0, bufferOffset + data.length, bufferOffset + length);
    const rel = fileOffset - this.partitionOffset;
    if (this.replayed.size + this.captured.size > 0) {
      const first = Math.floor(rel / this.blockSize);
      const last = Math.floor((rel + length - 1) / this.blockSize);
      for (let block = Math.max(first, 0); block <= last; block += 1) {
        const layer = this.captured.get(block) ?? this.replayed.get(block);
        if (layer === undefined) continue;
        const blockStart = block * this.blockSize;
        const from = Math.max(rel, blockStart);
        const to = Math.min(rel + length, blockStart + this.blockSize);
        layer.copy(buffer, bufferOffset + (from - rel), from - blockStart, to - blockStart);
      }
    }
    const view = this.superblockView;
    if (view !== undefined && rel <= SB_START && rel + length >= SB_END) {
      const at = bufferOffset + SB_START - rel;
      view.show(buffer.subarray(at, at + SB_END - SB_START)).copy(buffer, at);
    }
    return { bytesRead: length, buffer };
  }

  async write(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<{ bytesWritten: number; buffer: Buffer }> {
    const rel = fileOffset - this.partitionOffset;
    if (rel < 0 || rel + length > this.fsBytes) {
      throw new Error(`ext2fs tried to write outside the data partition (bytes ${rel}..${rel + length} of ${this.fsBytes})`);
    }
    let done = 0;
    while (done < length) {
      const at = rel + done;
      const block = Math.floor(at / this.blockSize);
      const within = at - block * this.blockSize;
      const count = Math.min(this.blockSize - within, length - done);
      const target = count === this.blockSize ? Buffer.alloc(this.blockSize) : await this.readBlock(block);
      buffer.copy(target, within, bufferOffset + done, bufferOffset + done + count);
      const sbAt = SB_START - block * this.blockSize;
      if (this.superblockView !== undefined && sbAt >= 0 && sbAt + (SB_END - SB_START) <= this.blockSize && within <= sbAt && within + count >= sbAt + (SB_END - SB_START)) {
        this.superblockView.store(target.subarray(sbAt, sbAt + SB_END - SB_START)).copy(target, sbAt);
      }
      this.captured.set(block, target);
      done += count;
    }
    return { bytesWritten: length, buffer };
  }

  async discard(): Promise<void> {
    // Nothing is discarded on the card: freed blocks simply stay as they are.
  }

  async flush(): Promise<void> {
    // ext2fs's flushes land in memory; the commit flushes the card.
  }

  /** Reads partition-relative bytes as this session sees them (replay and own writes included). */
  async readFs(offset: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    await this.read(buffer, 0, length, this.partitionOffset + offset);
    return buffer;
  }

  /** Captured blocks that differ from the base (replay or card), sorted by block number. */
  async changedBlocks(): Promise<{ fsBlock: number; data: Buffer }[]> {
    const changed: { fsBlock: number; data: Buffer }[] = [];
    for (const block of [...this.captured.keys()].sort((a, b) => a - b)) {
      const data = this.captured.get(block);
      if (data !== undefined && !data.equals(await this.baseBlock(block))) changed.push({ fsBlock: block, data });
    }
    return changed;
  }

  /** Writes blocks home (coalescing neighbours into one write each). Does not flush. */
  async writeHome(blocks: readonly { fsBlock: number; data: Buffer }[]): Promise<void> {
    const sorted = [...blocks].sort((a, b) => a.fsBlock - b.fsBlock);
    let i = 0;
    while (i < sorted.length) {
      let j = i + 1;
      while (j < sorted.length && sorted[j]?.fsBlock === (sorted[j - 1]?.fsBlock ?? -2) + 1) j += 1;
      const run = sorted.slice(i, j);
      const first = run[0];
      if (first === undefined) break;
      await this.raw.writeRaw(Buffer.concat(run.map((b) => b.data)), this.partitionOffset + first.fsBlock * this.blockSize);
      i = j;
    }
  }
}
