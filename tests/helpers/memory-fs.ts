import type { StorageFs } from '../../src/storage/fs';

/** A tiny in-memory StorageFs for unit tests: files and folders by POSIX path; records every write; can fail a write. */
export class MemoryFs implements StorageFs {
  readonly files = new Map<string, Buffer>();
  readonly dirs = new Set<string>(['.storage']);
  readonly writes: string[] = [];
  readonly modes = new Map<string, number>();
  /** Paths whose next atomic write throws (as a full disk would). */
  readonly failWrites = new Set<string>();

  async readFile(path: string): Promise<Buffer | undefined> {
    return this.files.get(path);
  }
  async writeFileAtomic(path: string, data: Buffer, mode: number): Promise<void> {
    if (this.failWrites.delete(path)) throw Object.assign(new Error(`ENOSPC ${path}`), { code: 'ENOSPC' });
    this.writes.push(path);
    this.files.set(path, Buffer.from(data));
    this.modes.set(path, mode);
  }
  async rename(from: string, to: string): Promise<void> {
    const data = this.files.get(from);
    if (data === undefined) throw Object.assign(new Error(`ENOENT ${from}`), { code: 'ENOENT' });
    this.files.delete(from);
    this.files.set(to, data);
    this.writes.push(`${from} -> ${to}`);
  }
  async mkdir(path: string): Promise<void> {
    this.dirs.add(path);
  }
  async exists(path: string): Promise<boolean> {
    return this.files.has(path) || this.dirs.has(path);
  }
  async readdir(path: string): Promise<string[] | undefined> {
    if (!this.dirs.has(path)) return undefined;
    return [...this.files.keys()].filter((p) => p.startsWith(`${path}/`)).map((p) => p.slice(path.length + 1));
  }
}
