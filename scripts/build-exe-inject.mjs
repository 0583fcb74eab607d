// SEA steps of `npm run build:exe`: the preparation blob (node --experimental-sea-config) and postject.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundleCodeCache, LAZY_PACKAGES, wrapBundle } from './build-exe-bundle.mjs';
import { SEA_FUSE } from './build-exe-node.mjs';

const require = createRequire(import.meta.url);

/**
 * The executable's main script: answers `ha --version` (exactly that argument) at once; anything else
 * loads the program, stored beside it in the blob as an asset, and runs it as bin/ha.js would. So
 * `--version` costs what `node -e 0` costs: the 1.8 MB bundle is neither read nor compiled for it, and
 * the line is written to fd 1 without making process.stdout.
 * With a code cache asset (made by this build's Node for its own architecture) the bundle's compiled
 * code is taken from it; V8 rejects a cache of another version or CPU and simply compiles. The packages of
 * LAZY_PACKAGES are assets of their own, compiled on their first require (the bundle's other requires are
 * Node's built-in modules).
 */
export function preludeSource(version) {
  return `'use strict';
const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // One write to fd 1: making process.stdout on a pipe or terminal loads Node's stream and net code (3-7 ms).
  const line = ${JSON.stringify(`ha-console ${version}\n`)};
  try {
    require('node:fs').writeSync(1, line);
  } catch (error) {
    if (error.code === 'EAGAIN') process.stdout.write(line);
    else process.exitCode = 1;
  }
} else {
  const sea = require('node:sea');
  const vm = require('node:vm');
  let cachedData;
  try { cachedData = Buffer.from(sea.getRawAsset('ha-bundle.cache')); } catch { cachedData = undefined; }
  // Decoded by Buffer (as require decodes a file), not by getAsset's TextDecoder, which maps megabytes of ICU data.
  const text = (asset) => Buffer.from(sea.getRawAsset(asset)).toString('utf8');
  // The asset is already wrapped as a module function: one string of the program, not a second one made by concatenation.
  const script = new vm.Script(text('ha-bundle.cjs'), { filename: 'ha-bundle.cjs', cachedData });
  const dir = require('node:path').dirname(process.execPath);
  const lazy = ${JSON.stringify(LAZY_PACKAGES)};
  const loaded = new Map();
  const haRequire = (id) => {
    const asset = lazy[id];
    if (asset === undefined) return require(id);
    let loadedModule = loaded.get(id);
    if (loadedModule === undefined) {
      loadedModule = { exports: {} };
      loaded.set(id, loadedModule);
      vm.compileFunction(text(asset), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: asset })(loadedModule.exports, require, loadedModule, process.execPath, dir);
    }
    return loadedModule.exports;
  };
  const module = { exports: {} };
  script.runInThisContext()(module.exports, haRequire, module, process.execPath, dir);
}
`;
}

/**
 * Makes the SEA blob: the prelude as main script, the bundle and the lazy packages (`lazyFiles`, asset name: file)
 * as assets, and with `codeCache` V8's
 * code cache of the bundle as a second asset (only for the host's own architecture; the arm64 binary
 * gets a blob without it). No startup snapshot: the bundle is CommonJS with lazy requires.
 */
export function makeBlob(workDir, bundleFile, lazyFiles, codeCache = false, version = '0.0.0') {
  const name = codeCache ? 'ha-cache' : 'ha';
  const blob = join(workDir, `${name}.blob`);
  const configFile = join(workDir, `sea-config-${name}.json`);
  const prelude = join(workDir, 'sea-prelude.cjs');
  writeFileSync(prelude, preludeSource(version));
  const wrapped = join(workDir, 'ha-bundle-wrapped.cjs');
  wrapBundle(bundleFile, wrapped);
  const assets = { 'ha-bundle.cjs': wrapped, ...lazyFiles };
  if (codeCache) {
    const cacheFile = join(workDir, 'ha-bundle.cache');
    bundleCodeCache(wrapped, 'ha-bundle.cjs', cacheFile);
    assets['ha-bundle.cache'] = cacheFile;
  }
  const config = { main: prelude, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false, assets };
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
