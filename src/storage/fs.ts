/**
 * The small fs-shaped interface every `.storage` task is written against, so one task serves a live
 * config folder (./../targets/config-dir) and an ext4 partition inside a disk image (./../targets/image).
 * Paths are POSIX, relative to the Home Assistant config folder (e.g. `.storage/auth`).
 */
export interface StorageFs {
  /** Reads a whole file; `undefined` when it does not exist. */
  readFile(path: string): Promise<Buffer | undefined>;
  /**
   * Replaces or creates a file so that a crash leaves either the old or the new content:
   * temp file in the same folder, write, fsync, rename over the target, fsync the folder.
   * `mode` is applied to the result; the owner of a replaced file is kept (root on a device).
   */
  writeFileAtomic(path: string, data: Buffer, mode: number): Promise<void>;
  /** Moves a file or folder within the filesystem (used to back files up before an onboarding reset). */
  rename(from: string, to: string): Promise<void>;
  /** Creates one folder (its parent exists). */
  mkdir(path: string, mode: number): Promise<void>;
  /** True when a file or folder exists at `path`. */
  exists(path: string): Promise<boolean>;
  /** Names in a folder; `undefined` when it does not exist. */
  readdir(path: string): Promise<string[] | undefined>;
}
