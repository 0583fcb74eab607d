import { HaError } from '../errors/ha-error';

/** A journal file this reader cannot read (not a journal, a newer format, xz/lz4-compressed data). */
export class JournalFileError extends HaError {}

/** True for a JournalFileError. */
export function isJournalFileError(error: unknown): error is JournalFileError {
  return error instanceof JournalFileError;
}
