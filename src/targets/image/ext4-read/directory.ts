import { Ext4ReadError } from './errors';

// Directory entries, read by walking every block of a directory (ext4_dir_entry_2: inode, rec_len, name_len,
// file_type, name). An htree directory needs no index here: its root block holds "." and ".." (the second
// entry's rec_len hides the index), its interior index blocks look like one empty entry spanning the block,
// and its leaves are ordinary entry blocks. Deleted entries (inode 0) and metadata_csum's 12-byte tail (inode
// 0, file_type 0xde) are skipped. An entry that does not fit its block is damage: refused, never skipped,
// so a damaged folder is never shown as holding fewer files than it does.

/** One directory entry. */
export interface DirEntry {
  readonly name: string;
  readonly ino: number;
  /** ext4 file type (1 file, 2 dir, 7 symlink, ...), 0 when the filesystem does not record it. */
  readonly type: number;
}

const MIN_REC_LEN = 12;

/** rec_len as stored (ext4_rec_len_from_disk: 64 KiB blocks keep the high bits in the low two). */
function recLen(raw: number, blockSize: number): number {
  if (blockSize < 65536) return raw;
  if (raw === 65535 || raw === 0) return blockSize;
  return (raw & 65532) | ((raw & 3) << 16);
}

/** Appends the entries of one directory block (or of inline data's entry area) to `out`. */
export function parseDirEntries(bytes: Buffer, blockSize: number, filetype: boolean, where: string, out: DirEntry[]): void {
  let at = 0;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) throw new Ext4ReadError('EIO', `${where}: a damaged entry at byte ${at}`);
    const ino = bytes.readUInt32LE(at);
    const length = recLen(bytes.readUInt16LE(at + 4), blockSize);
    const nameLength = filetype ? bytes.readUInt8(at + 6) : bytes.readUInt16LE(at + 6);
    if (length < MIN_REC_LEN || length % 4 !== 0 || at + length > bytes.length || 8 + nameLength > length) {
      // An inline directory's area may end in fewer than 12 free bytes (ext4 writes rec_len to its end).
      if (!(length >= 8 && length % 4 === 0 && at + length === bytes.length && ino === 0)) {
        throw new Ext4ReadError('EIO', `${where}: a damaged entry at byte ${at} (rec_len ${length}, name_len ${nameLength})`);
      }
    }
    if (ino !== 0 && nameLength > 0) {
      out.push({ name: bytes.toString('utf8', at + 8, at + 8 + nameLength), ino, type: filetype ? bytes.readUInt8(at + 7) : 0 });
    }
    at += length;
  }
}
