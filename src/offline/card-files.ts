import { mkdir, stat, symlink, utimes, chmod } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Ext2Promises, Ext2Stats } from 'ext2fs';
import { HaError } from '../errors/ha-error';
import type { CopyJob } from './copy-session';

// Files and folders of the card's data partition: listed, and planned for copying out. A symlink is copied
// as a symlink and never followed, so nothing outside what was asked (or outside the card) is read.

/** One entry of `files ls`. */
export interface CardFileRow {
  readonly name: string;
  readonly type: 'file' | 'dir' | 'link' | 'other';
  readonly mode: string;
  readonly size: number;
  readonly modified: string;
  readonly target?: string;
}

/** A card path as ext2fs takes it: absolute, no trailing slash (pure). */
export function cardPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new HaError(`${path}: '..' is not taken in card paths`, { hint: 'Give the path from the top of the data partition, e.g. /supervisor/homeassistant.' });
  return `/${parts.join('/')}`;
}

function typeOf(stats: Ext2Stats): CardFileRow['type'] {
  return stats.isSymbolicLink() ? 'link' : stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : 'other';
}

async function lstatOn(ext: Ext2Promises, path: string): Promise<Ext2Stats> {
  try {
    return await ext.lstat(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw new HaError(`No ${path} on the card's data partition`, { hint: "List what is there with 'files ls /'." });
    throw error;
  }
}

async function row(ext: Ext2Promises, path: string, name: string): Promise<CardFileRow> {
  const stats = await lstatOn(ext, path);
  const type = typeOf(stats);
  return {
    name,
    type,
    mode: (stats.mode & 0o7777).toString(8).padStart(4, '0'),
    size: stats.size,
    modified: stats.mtime.toISOString(),
    ...(type === 'link' ? { target: await ext.readlink(path) } : {}),
  };
}

/** `files ls PATH`: a folder's entries (sorted), or the one entry PATH is. */
export async function listCardPath(ext: Ext2Promises, path: string): Promise<CardFileRow[]> {
  const at = cardPath(path);
  const stats = await lstatOn(ext, at);
  if (!stats.isDirectory()) return [await row(ext, at, basename(at))];
  const names = (await ext.readdir(at)).filter((n) => n !== '.' && n !== '..').sort();
  return Promise.all(names.map((n) => row(ext, `${at === '/' ? '' : at}/${n}`, n)));
}

/**
 * Plans `files cp PATH DEST`: folders made (kept for their times afterwards), symlinks recreated, files to
 * copy. DEST may exist as a folder (PATH goes inside it) or not (PATH becomes DEST).
 */
export async function planCopy(ext: Ext2Promises, path: string, dest: string): Promise<{ jobs: CopyJob[]; dirs: Array<{ dest: string; stats: Ext2Stats }>; links: number }> {
  const from = cardPath(path);
  const destStats = await stat(dest).catch(() => undefined);
  const root = destStats?.isDirectory() === true ? join(dest, from === '/' ? 'data' : basename(from)) : dest;
  if ((await stat(root).catch(() => undefined)) !== undefined && root !== dest) throw new HaError(`${root} already exists; not overwriting it`, { hint: 'Copy into another folder.' });
  if (destStats !== undefined && destStats.isDirectory() !== true) throw new HaError(`${dest} already exists; not overwriting it`, { hint: 'Copy into another folder.' });
  const jobs: CopyJob[] = [];
  const dirs: Array<{ dest: string; stats: Ext2Stats }> = [];
  let links = 0;
  const walk = async (card: string, local: string): Promise<void> => {
    const stats = await lstatOn(ext, card);
    if (stats.isSymbolicLink()) {
      await symlink(await ext.readlink(card), local);
      links += 1;
    } else if (stats.isDirectory()) {
      await mkdir(local);
      dirs.push({ dest: local, stats });
      for (const name of (await ext.readdir(card)).filter((n) => n !== '.' && n !== '..').sort()) await walk(`${card === '/' ? '' : card}/${name}`, join(local, name));
    } else if (stats.isFile()) jobs.push({ source: card, stats, dest: local });
  };
  await walk(from, root);
  return { jobs, dirs, links };
}

/** Gives copied folders their card modes and times, deepest first (after their contents are written). */
export async function settleDirs(dirs: ReadonlyArray<{ dest: string; stats: Ext2Stats }>): Promise<void> {
  for (const { dest, stats } of [...dirs].reverse()) {
    await chmod(dest, stats.mode & 0o7777);
    await utimes(dest, stats.atime, stats.mtime);
  }
}
