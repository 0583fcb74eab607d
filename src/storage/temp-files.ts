// Temporary files the atomic writers leave only when killed between creating and renaming them:
// `.NAME.ha-console-PID-HEX` (config folders) and `.NAME.HEX.tmp` (inside images).

const CONFIG_TEMP = /^\.(.+)\.ha-console-(\d+)-[0-9a-f]+$/;
const IMAGE_TEMP = /^\.(.+)\.[0-9a-f]{8}\.tmp$/;

/** The store a leftover temporary file was for, and the pid that wrote it (config folders); undefined when `name` is no temp file. */
export function parseTempName(name: string): { store: string; pid: number | undefined } | undefined {
  const config = CONFIG_TEMP.exec(name);
  if (config?.[1] !== undefined) return { store: config[1], pid: Number(config[2]) };
  const image = IMAGE_TEMP.exec(name);
  if (image?.[1] !== undefined) return { store: image[1], pid: undefined };
  return undefined;
}

/** Names in a folder listing that are leftovers of an interrupted write (a writer that still runs excluded). */
export function leftoverTemps(names: readonly string[], alive: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const temp = parseTempName(name);
    return temp !== undefined && (temp.pid === undefined || !alive(temp.pid));
  });
}
