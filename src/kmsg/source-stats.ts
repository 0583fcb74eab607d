import type { KmsgRecord } from './record';

/** What a kernel log source noticed while reading, besides the records themselves. */
export interface KmsgSourceStats {
  /** Records the kernel overwrote before we read them (sequence gaps on /dev/kmsg). */
  lostRecords: number;
  /** Lines that were not kmsg records (garbage, binary) and were skipped. */
  skippedLines: number;
}

/** Creates zeroed stats. */
export function createSourceStats(): KmsgSourceStats {
  return { lostRecords: 0, skippedLines: 0 };
}

/** Counts sequence gaps after the first record (records overwritten between two reads). */
export class SequenceTracker {
  private last: number | undefined;

  constructor(private readonly stats: KmsgSourceStats) {}

  /** Notes `record` and adds any gap before it to `stats.lostRecords`. */
  note(record: KmsgRecord): void {
    if (this.last !== undefined && record.seq > this.last + 1) this.stats.lostRecords += record.seq - this.last - 1;
    this.last = record.seq;
  }
}
