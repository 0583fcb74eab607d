import { readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { FileDisk } from 'file-disk';
import type { ReadResult, WriteResult } from 'file-disk';
import { deviceNumber } from './mountinfo';

/** Bytes moved between the image and memory, for `info` and the benchmark. */
export interface IoCounters {
  bytesRead: number;
  bytesWritten: number;
}

/** Size of a block device from sysfs (Linux); undefined elsewhere or when unknown. */
async function blockDeviceBytes(rdev: number): Promise<number | undefined> {
  try {
    const sectors = Number((await readFile(`/sys/dev/block/${deviceNumber(rdev)}/size`, 'utf8')).trim());
    return Number.isSafeInteger(sectors) ? sectors * 512 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The image file or block device as ext2fs and partitioninfo see it. Read-only disks keep ext2fs's writes
 * in memory (nothing reaches the file); every byte that does move is counted.
 */
export class ImageDisk extends FileDisk {
  readonly counters: IoCounters = { bytesRead: 0, bytesWritten: 0 };

  constructor(handle: FileHandle, readOnly: boolean) {
    super(handle, readOnly, readOnly, false, false);
  }

  protected override async _getCapacity(): Promise<number> {
    const stats = await this.handle.stat();
    if (stats.isBlockDevice()) return (await blockDeviceBytes(stats.rdev)) ?? stats.size;
    return stats.size;
  }

  protected override async _read(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<ReadResult> {
    const result = await super._read(buffer, bufferOffset, length, fileOffset);
    this.counters.bytesRead += result.bytesRead;
    return result;
  }

  protected override async _write(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<WriteResult> {
    const result = await super._write(buffer, bufferOffset, length, fileOffset);
    this.counters.bytesWritten += result.bytesWritten;
    return result;
  }

  /** Reads exactly what is there (short at the end of the file), bypassing ext2fs's recorded writes. */
  async readRaw(length: number, position: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this._read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  }

  /** Writes straight to the file or device (not yet durable: call flush). */
  async writeRaw(data: Buffer, position: number): Promise<void> {
    if (this.readOnly) throw new Error('ImageDisk.writeRaw on a read-only disk');
    const { bytesWritten } = await this._write(data, 0, data.length, position);
    if (bytesWritten !== data.length) throw new Error(`short write to the image (${bytesWritten} of ${data.length} bytes at ${position})`);
  }

  /** Makes every write so far durable (fdatasync; on a block device this also flushes the device's cache). */
  override async flush(): Promise<void> {
    if (!this.readOnly) await this._flush();
  }
}
