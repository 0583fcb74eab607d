import { u64 } from './header';
import type { JournalFile } from './journal-file';
import { OBJECT } from './objects';

// The values a field takes in a journal (`host logs identifiers`), without reading entries: every FIELD
// object is in the field hash table, and each links the DATA objects of its values through
// next_field_offset (JOURNAL_FILE_FORMAT.md, "Field Objects"). No hash is computed: all buckets are walked.

/** FieldObject: header, hash, next_hash_offset (24), head_data_offset (32), payload (40). */
const FIELD_NEXT_HASH_AT = 24;
const FIELD_HEAD_DATA_AT = 32;
const FIELD_PAYLOAD_AT = 40;
/** DataObject.next_field_offset. */
const DATA_NEXT_FIELD_AT = 32;
const HASH_ITEM_BYTES = 16;
/** A bound on chain walks, so a corrupt loop cannot hang the reader. */
const MAX_CHAIN = 1_000_000;

async function fieldHead(file: JournalFile, name: string): Promise<number> {
  const { fieldHashTableOffset: start, fieldHashTableSize: size } = file.header;
  const table = await file.bytes(start, size);
  for (let at = 0; at + HASH_ITEM_BYTES <= table.length; at += HASH_ITEM_BYTES) {
    let offset = u64(table, at);
    for (let steps = 0; offset !== 0 && steps < MAX_CHAIN; steps++) {
      const head = await file.bytes(offset, FIELD_PAYLOAD_AT);
      if (head.length < FIELD_PAYLOAD_AT || head.readUInt8(0) !== OBJECT.field) break;
      const objectSize = u64(head, 8);
      const payload = await file.bytes(offset + FIELD_PAYLOAD_AT, Math.max(0, objectSize - FIELD_PAYLOAD_AT));
      if (payload.toString('latin1') === name) return u64(head, FIELD_HEAD_DATA_AT);
      offset = u64(head, FIELD_NEXT_HASH_AT);
    }
  }
  return 0;
}

/** The distinct values of field `name` in all files, sorted. */
export async function identifiersOf(files: readonly JournalFile[], name: string): Promise<string[]> {
  const values = new Set<string>();
  for (const file of files) {
    let offset = await fieldHead(file, name);
    for (let steps = 0; offset !== 0 && steps < MAX_CHAIN; steps++) {
      const field = await file.field(offset);
      if (field?.name === name) values.add(field.value.toString('utf8'));
      const head = await file.bytes(offset, DATA_NEXT_FIELD_AT + 8);
      if (head.length < DATA_NEXT_FIELD_AT + 8) break;
      offset = u64(head, DATA_NEXT_FIELD_AT);
    }
  }
  return [...values].sort();
}
