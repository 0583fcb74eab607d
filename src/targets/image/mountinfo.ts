// Parsing /proc/self/mountinfo (pure), to refuse writing a device or image the kernel has mounted.

/** One mounted filesystem. */
export interface MountEntry {
  /** `major:minor` of the mounted device. */
  readonly device: string;
  readonly mountPoint: string;
  readonly source: string;
}

/** Undoes the octal escapes (`\040` for a space) the kernel uses in mount tables. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Parses /proc/self/mountinfo; malformed lines are skipped. */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    const device = fields[2];
    const mountPoint = fields[4];
    const source = fields[dash + 2];
    if (dash < 6 || device === undefined || mountPoint === undefined || source === undefined) continue;
    entries.push({ device, mountPoint: unescape(mountPoint), source: unescape(source) });
  }
  return entries;
}

/** The first mount of any of `devices` (`major:minor`) or `sources` (device paths), if there is one. */
export function findMount(entries: readonly MountEntry[], devices: ReadonlySet<string>, sources: ReadonlySet<string>): MountEntry | undefined {
  return entries.find((e) => devices.has(e.device) || sources.has(e.source));
}

/** `major:minor` of a device number as Linux encodes it in st_rdev. */
export function deviceNumber(rdev: number): string {
  const major = Math.floor(rdev / 256) & 0xfff;
  const minor = (rdev & 0xff) | (Math.floor(rdev / 4096) & 0xfff00);
  return `${major}:${minor}`;
}
