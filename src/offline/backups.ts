import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ext2Promises } from 'ext2fs';
import { HaError } from '../errors/ha-error';
import { backupFileName } from './backup-name';
import { openExtFile } from './ext-file';
import { readTarMember } from './tar-member';

// The backups on a card: Supervisor tars in hassos-data `/supervisor/backup`, each with `./backup.json`
// (slug, name, date, type, homeassistant version) as the Supervisor writes it.

/** Where the Supervisor keeps backups on the data partition. */
export const CARD_BACKUP_DIR = '/supervisor/backup';
const BACKUP_JSON_MAX_BYTES = 4 * 1024 * 1024;

/** One backup as `backups list` shows it. */
export interface CardBackup {
  readonly slug: string;
  readonly name: string;
  readonly date: string;
  readonly type: string;
  readonly homeassistant: string | null;
  readonly protected: boolean;
  /** Size in MB, as the Supervisor reports it. */
  readonly size: number;
  readonly size_bytes: number;
  /** The tar on the card. */
  readonly path: string;
  /** The name it gets when exported (as Home Assistant names a downloaded backup). */
  readonly file_name: string;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** A backup's row from its backup.json (pure); undefined when the JSON is not a backup's. */
export function backupRow(json: unknown, path: string, sizeBytes: number): CardBackup | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const data = json as Record<string, unknown>;
  const slug = text(data['slug'], path.split('/').pop()?.replace(/\.tar$/, '') ?? '');
  const name = text(data['name'], slug);
  const date = text(data['date'], '');
  const ha = data['homeassistant'];
  const version = typeof ha === 'object' && ha !== null ? (ha as Record<string, unknown>)['version'] : undefined;
  return {
    slug,
    name,
    date,
    type: text(data['type'], 'unknown'),
    homeassistant: typeof version === 'string' ? version : null,
    protected: data['protected'] === true,
    size: Math.round((sizeBytes / 1048576) * 100) / 100,
    size_bytes: sizeBytes,
    path,
    file_name: backupFileName(name, date) ?? `${slug}.tar`,
  };
}

/** Every backup tar on the card with a readable backup.json, newest first. */
export async function listCardBackups(ext: Ext2Promises): Promise<CardBackup[]> {
  let names: string[];
  try {
    names = await ext.readdir(CARD_BACKUP_DIR);
  } catch {
    return [];
  }
  const rows: CardBackup[] = [];
  for (const name of names.filter((n) => n.endsWith('.tar')).sort()) {
    const path = `${CARD_BACKUP_DIR}/${name}`;
    const file = await openExtFile(ext, path);
    try {
      const json = await readTarMember(file, './backup.json', BACKUP_JSON_MAX_BYTES);
      const row = json === undefined ? undefined : backupRow(JSON.parse(json.toString('utf8')) as unknown, path, file.size);
      if (row !== undefined) rows.push(row);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    } finally {
      await file.close();
    }
  }
  const time = (row: CardBackup): number => Date.parse(row.date) || 0;
  return rows.sort((a, b) => time(b) - time(a));
}

/** The backups `backups export` names: `--all`, or slugs (each must exist). */
export function chooseBackups(all: readonly CardBackup[], slugs: readonly string[], everything: boolean): CardBackup[] {
  if (everything) return [...all];
  return slugs.map((slug) => {
    const found = all.find((b) => b.slug === slug);
    if (found === undefined) throw new HaError(`No backup '${slug}' on this card`, { hint: `The card has: ${all.map((b) => b.slug).join(', ') || 'no backups'} (see 'backups list').` });
    return found;
  });
}

/** Checks that DEST is a folder of this machine; returns where each backup will go. */
export async function exportTargets(backups: readonly CardBackup[], dest: string): Promise<Array<{ backup: CardBackup; target: string }>> {
  const stats = await stat(dest).catch(() => undefined);
  if (stats?.isDirectory() !== true) throw new HaError(`${dest} is not a folder`, { hint: 'Give a folder to copy the backups into (it must exist).' });
  const targets = backups.map((backup) => ({ backup, target: join(dest, backup.file_name) }));
  for (const { target } of targets) {
    if ((await stat(target).catch(() => undefined)) !== undefined) throw new HaError(`${target} already exists; not overwriting it`, { hint: 'Move it away or export into another folder.' });
  }
  return targets;
}
