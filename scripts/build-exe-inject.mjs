// SEA steps of `npm run build:exe`: the preparation blob (node --experimental-sea-config) and postject.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SEA_FUSE } from './build-exe-node.mjs';

const require = createRequire(import.meta.url);

/**
 * Makes the SEA blob from the bundle with the Node running this build. With `codeCache` the blob carries
 * V8's compiled code for the bundle (start-up without compiling it); V8 ties that cache to the CPU
 * architecture and version it was made with, so it is only asked for the host's own architecture (the
 * arm64 binary gets a blob without it). No startup snapshot: the bundle is CommonJS with lazy requires.
 */
export function makeBlob(workDir, bundleFile, codeCache = false) {
  const blob = join(workDir, codeCache ? 'ha-cache.blob' : 'ha.blob');
  const configFile = join(workDir, codeCache ? 'sea-config-cache.json' : 'sea-config.json');
  const config = { main: bundleFile, output: blob, disableExperimentalSEAWarning: true, useCodeCache: codeCache, useSnapshot: false };
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  execFileSync(process.execPath, ['--experimental-sea-config', configFile], { stdio: 'pipe' });
  return blob;
}

/** Copies `nodeBinary` to `outFile` and injects `blob` into it (postject's API, no shell). */
export async function injectBlob(nodeBinary, blob, outFile) {
  const { inject } = require('postject');
  copyFileSync(nodeBinary, outFile);
  chmodSync(outFile, 0o755);
  // postject prints harmless warnings about ELF notes (`.note.100`); keep the build log readable.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    await inject(outFile, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  } finally {
    console.warn = warn;
  }
}

/** True when `file` starts with the ELF machine type of `arch` (a wrong binary must never be published). */
export function elfMachineIs(file, arch) {
  const header = readFileSync(file).subarray(0, 20);
  const machine = header.readUInt16LE(18);
  return (arch === 'x64' && machine === 0x3e) || (arch === 'arm64' && machine === 0xb7);
}

/** Runs `ha --version` from a fresh executable (arm64 through qemu-user when available). */
export function smokeVersion(exe, arch) {
  const qemu = '/usr/bin/qemu-aarch64-static';
  if (arch === 'x64') return execFileSync(exe, ['--version'], { encoding: 'utf8' }).trim();
  try {
    return execFileSync(qemu, ['-L', '/usr/aarch64-linux-gnu', exe, '--version'], { encoding: 'utf8' }).trim();
  } catch (error) {
    return `not run (${qemu} -L /usr/aarch64-linux-gnu: ${error.code ?? error.message})`;
  }
}
