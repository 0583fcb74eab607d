import type { ByteSource } from '../journal-file/byte-source';

// Finding one member of a tar without reading the rest: 512-byte ustar headers (POSIX pax, GNU long
// names) are walked and the members' data skipped, so a GB backup costs a few KB of reads.

const BLOCK = 512;
const MAX_MEMBERS = 100_000;

/** A tar header's numeric field: octal text, or GNU base-256 when the high bit is set (pure). */
function numberField(header: Buffer, at: number, length: number): number {
  const first = header[at] ?? 0;
  if ((first & 0x80) !== 0) {
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (header[at + i] ?? 0);
    return value;
  }
  const text = header.toString('latin1', at, at + length).replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function cString(header: Buffer, at: number, length: number): string {
  const raw = header.subarray(at, at + length);
  const end = raw.indexOf(0);
  return raw.toString('utf8', 0, end < 0 ? length : end);
}

/** `./backup.json` and `backup.json` are the same member. */
function sameName(a: string, b: string): boolean {
  return a.replace(/^\.\//, '') === b.replace(/^\.\//, '');
}

/** The bytes of member `name` (at most `maxBytes`), or undefined when the tar has none. */
export async function readTarMember(tar: ByteSource, name: string, maxBytes: number): Promise<Buffer | undefined> {
  let offset = 0;
  let longName: string | undefined;
  for (let count = 0; count < MAX_MEMBERS && offset + BLOCK <= tar.size; count++) {
    const header = await tar.read(offset, BLOCK);
    if (header.length < BLOCK || header.every((b) => b === 0)) return undefined;
    const size = numberField(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataAt = offset + BLOCK;
    offset = dataAt + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L' || type === 'x') {
      const data = (await tar.read(dataAt, Math.min(size, 64 * 1024))).toString('utf8');
      longName = type === 'L' ? data.replace(/\0.*$/s, '') : /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data)?.[1] ?? longName;
      continue;
    }
    const prefix = cString(header, 345, 155);
    const memberName = longName ?? (prefix === '' ? cString(header, 0, 100) : `${prefix}/${cString(header, 0, 100)}`);
    longName = undefined;
    if ((type === '0' || type === '\0') && sameName(memberName, name)) return size > maxBytes ? undefined : tar.read(dataAt, size);
  }
  return undefined;
}
