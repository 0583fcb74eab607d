// What a partition table says, before any filesystem is looked at (shared by the MBR and GPT readers).

/** Reads `length` bytes at byte `position` of the disk (short at its end). */
export type ReadBytes = (length: number, position: number) => Promise<Buffer>;

/** The kind of table: `hybrid` is a GPT whose MBR also lists partitions beside the 0xEE entry. */
export type TableKind = 'gpt' | 'hybrid' | 'mbr' | 'none';

/** One partition as its table entry describes it. */
export interface TableEntry {
  /** 1-based, as Linux numbers it: GPT entry index + 1; MBR primary 1-4, logical 5 and up. */
  readonly index: number;
  readonly firstLba: number;
  /** Inclusive; below `firstLba` when the entry is damaged (it ends before it starts). */
  readonly lastLba: number;
  /** GPT partition name (UTF-16LE in the entry); null on MBR or when empty. */
  readonly name: string | null;
  /** GPT partition type GUID in lower case, or the MBR type byte as `0x83`. */
  readonly type: string;
  /** GPT unique partition GUID in lower case; null on MBR. */
  readonly uuid: string | null;
}

/** A disk's partition table as Linux would read it. */
export interface PartitionTable {
  readonly kind: TableKind;
  readonly sectorSizeBytes: number;
  readonly entries: readonly TableEntry[];
  /** Things a person should know (a damaged primary GPT, a broken EBR chain), one line each. */
  readonly notes: readonly string[];
}
