// The file name Home Assistant gives a backup when it is downloaded: homeassistant/components/backup/util.py
// suggested_filename_from_name_date(): `"_".join(f"{name} {date:%Y-%m-%d %H.%M %S%f}.tar".split())`, the date's
// own fields (as written, in its own offset). Characters no file system takes are replaced by `_` (our addition).

const DATE = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?/;
// eslint-disable-next-line no-control-regex -- control characters are refused in file names on purpose
const UNSAFE_IN_NAMES = /[/\\:*?"<>|\x00-\x1f]/g;

/** The download name of a backup (pure); undefined when its date is not ISO 8601. */
export function backupFileName(name: string, date: string): string | undefined {
  const m = DATE.exec(date);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac = ''] = m;
  const stamp = `${y}-${mo}-${d} ${h}.${mi} ${s}${frac.padEnd(6, '0')}`;
  return `${name} ${stamp}.tar`.split(/\s+/).filter((w) => w !== '').join('_').replace(UNSAFE_IN_NAMES, '_');
}
