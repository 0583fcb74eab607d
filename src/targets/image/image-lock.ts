import type { Stats } from 'node:fs';
import { access, constants, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * Where the writer's lock of an image file lives: beside the image (`.NAME.ha-lock`, found whatever path
 * names the file), else, when that folder is not writable, in the temp folder keyed by device and inode.
 */
export async function imageLockPath(path: string, stats: Stats): Promise<string> {
  const real = await realpath(path).catch(() => path);
  const folder = dirname(real);
  try {
    await access(folder, constants.W_OK);
    return join(folder, `.${basename(real)}.ha-lock`);
  } catch {
    return join(tmpdir(), `ha-image-${stats.dev}-${stats.ino}.lock`);
  }
}
