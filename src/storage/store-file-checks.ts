import { HaError } from '../errors/ha-error';

/** Largest store file read (Home Assistant's own are well under 10 MB): a 1 GB device never runs out of memory on one. */
export const MAX_STORE_BYTES = 32 * 1024 * 1024;

/** What a non-regular directory entry is, from its mode bits (S_IFMT). */
export function fileKind(mode: number): 'file' | 'folder' | 'symbolic link' | 'FIFO' | 'device' | 'socket' | 'special file' {
  switch (mode & 0o170000) {
    case 0o100000: return 'file';
    case 0o040000: return 'folder';
    case 0o120000: return 'symbolic link';
    case 0o010000: return 'FIFO';
    case 0o020000:
    case 0o060000: return 'device';
    case 0o140000: return 'socket';
    default: return 'special file';
  }
}

/** Refuses, before opening it, a store path that is not a regular file of a sane size. */
export function checkStoreFile(path: string, mode: number, size: number): void {
  const kind = fileKind(mode);
  if (kind !== 'file') {
    throw new HaError(`${path} is a ${kind}, not a file; not reading it and nothing was changed`, {
      hint: 'Home Assistant writes its stores as plain files: move this one away (or restore the file from a backup).',
    });
  }
  if (size > MAX_STORE_BYTES) {
    throw new HaError(`${path} is ${Math.round(size / 1024 / 1024)} MiB, far larger than any Home Assistant store; not reading it and nothing was changed`, {
      hint: 'It is probably damaged: move it away, or restore it from a backup.',
    });
  }
}
