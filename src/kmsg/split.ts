import { KMSG_MAX_LINE_BYTES } from './format-lines';

export { KMSG_MAX_LINE_BYTES };

/**
 * Cuts a byte stream in kmsg format into record lines. Records end with `\n` (a file, `cat /dev/kmsg`)
 * or NUL (`dmesg --kmsg-file` files); lines starting with a space are continuation lines
 * (` SUBSYSTEM=usb`) and are dropped, as are empty lines.
 */
export class KmsgSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overlong = false;
  /** Lines longer than {@link KMSG_MAX_LINE_BYTES} that were cut off. */
  oversizedLines = 0;

  /** Feeds a chunk; returns the record lines it completes (decoded as UTF-8). */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== 0x0a && byte !== 0x00) continue;
      this.append(chunk, start, i);
      this.emit(lines);
      start = i + 1;
    }
    this.append(chunk, start, chunk.length);
    return lines;
  }

  /** Ends the stream; returns the last line if it had no terminator. */
  end(): string[] {
    const lines: string[] = [];
    this.emit(lines);
    return lines;
  }

  private append(chunk: Uint8Array, start: number, end: number): void {
    if (end <= start || this.overlong) return;
    const room = KMSG_MAX_LINE_BYTES - this.pendingBytes;
    const take = Math.min(room, end - start);
    this.pending.push(Buffer.from(chunk.subarray(start, start + take)));
    this.pendingBytes += take;
    if (take < end - start) {
      this.overlong = true;
      this.oversizedLines++;
    }
  }

  private emit(lines: string[]): void {
    if (this.pendingBytes > 0) {
      const line = this.pending.length === 1 ? (this.pending[0] ?? Buffer.alloc(0)) : Buffer.concat(this.pending);
      if (line[0] !== 0x20) lines.push(line.toString('utf8'));
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.overlong = false;
  }
}
