// esbuild steps: one CommonJS file holding the whole program, for the Node SEA of `npm run build:exe` and for
// `node bin/ha.js` (`npm run build`, scripts/build-node-bundle.mjs), with V8's code cache of it.
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { build } from 'esbuild';

/** Text patches that make dependencies bundle and run inside a single executable. Each must match. */
const PATCHES = [
  {
    // ext2fs assigns to two consts in code we never call (realpath, ranged read streams); esbuild refuses that.
    file: /node_modules[\\/]ext2fs[\\/]lib[\\/]fs\.js$/,
    edits: [
      ['  path = path.resolve(p.toString());', '  p = path.resolve(p.toString());'],
      ['    const toRead = Math.min(pool.length - pool.used, n);', '    let toRead = Math.min(pool.length - pool.used, n);'],
    ],
  },
  {
    // serialport finds its addon with node-gyp-build relative to its package; in the executable the
    // addon lives beside the binary (serialport.node), loaded with process.dlopen.
    file: /node_modules[\\/]@serialport[\\/]bindings-cpp[\\/]dist[\\/]serialport-bindings\.js$/,
    replace: [
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'const addon = { exports: {} };',
      'process.dlopen(addon, require("node:path").join(require("node:path").dirname(process.execPath), "serialport.node"));',
      'exports.binding = addon.exports;',
    ].join('\n'),
  },
];

/** esbuild plugin applying PATCHES; a patch that no longer matches fails the build (never a silent no-op). */
const patchPlugin = {
  name: 'ha-exe-patches',
  setup(pluginBuild) {
    for (const patch of PATCHES) {
      pluginBuild.onLoad({ filter: patch.file }, async (args) => {
        const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
        if (patch.replace !== undefined) return { contents: patch.replace, loader };
        let text = await readFile(args.path, 'utf8');
        for (const [from, to] of patch.edits) {
          if (!text.includes(from)) throw new Error(`build-exe: patch for ${args.path} no longer matches: ${from}`);
          text = text.replace(from, to);
        }
        return { contents: text, loader };
      });
    }
  },
};

/**
 * Optional packages that dependencies probe with require() inside try/catch (debug -> supports-color).
 * In a SEA that require() prints a warning on the user's console; an empty module answers instead.
 */
const ABSENT_OPTIONAL = /^supports-color$/;

/** esbuild plugin resolving ABSENT_OPTIONAL to an empty module. */
const absentPlugin = {
  name: 'ha-exe-absent-optional',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: ABSENT_OPTIONAL }, (args) => ({ path: args.path, namespace: 'ha-absent' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'ha-absent' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** The executable's entry: what bin/ha.js does, without a file system lookup. */
const ENTRY = `
import { main } from './src/bin/main';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
`;

/**
 * Packages the program loads only for some commands (ext2fs: writing to a card image; systeminformation: `host
 * info` without a Supervisor), bundled apart, each as an asset of its own that the executable compiles on its
 * first require. They are 60% of the program's code: in the main bundle every start read and held them.
 */
export const LAZY_PACKAGES = { ext2fs: 'ha-ext2fs.cjs', systeminformation: 'ha-systeminformation.cjs' };

const COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Whitespace only: the executable holds its program's text in memory (V8 compiles functions from it on first
  // call), a quarter less without the indentation; names stay, so stack traces still name their functions.
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [patchPlugin, absentPlugin],
  metafile: true,
  // import() of a lazy package becomes a require() the executable answers (its script has no import() hook).
  supported: { 'dynamic-import': false },
};

/** Bundles src/bin/main.ts into `outfile` (CommonJS, Node 20), LAZY_PACKAGES left out. Returns esbuild's metafile. */
export async function bundle(root, outfile) {
  // Dev-only or absent at run time: never part of the appliance binary. LAZY_PACKAGES: assets of their own.
  return bundleEntry(root, outfile, ['node-pty', '@lydell/node-pty', ...Object.keys(LAZY_PACKAGES)]);
}

/** Bundles ENTRY into `outfile` with `external` left as requires; returns esbuild's metafile. */
async function bundleEntry(root, outfile, external) {
  const result = await build({ ...COMMON, stdin: { contents: ENTRY, resolveDir: root, loader: 'ts', sourcefile: 'ha-entry.ts' }, outfile, external });
  return result.metafile;
}

/** Bundles each of LAZY_PACKAGES into `workDir`; returns { asset name: file }. */
export async function bundleLazyPackages(root, workDir) {
  const files = {};
  for (const [name, asset] of Object.entries(LAZY_PACKAGES)) {
    const outfile = join(workDir, asset);
    await build({ ...COMMON, stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root, loader: 'js', sourcefile: `${name}-entry.js` }, outfile });
    files[asset] = outfile;
  }
  return files;
}

/** Path of the bundle inside the build directory. */
export function bundlePath(workDir) {
  return join(workDir, 'ha-bundle.cjs');
}

/**
 * Bundles src/bin/main.ts into `outfile` for `node bin/ha.js` (npm run build): the packages with native addons
 * or loaded only for some commands stay ordinary requires, answered from node_modules.
 */
export async function bundleForNode(root, outfile) {
  await bundleEntry(root, outfile, ['node-pty', '@lydell/node-pty', 'serialport', '@serialport/*', ...Object.keys(LAZY_PACKAGES)]);
}

// The CommonJS wrapper a bundle runs in (the parameters Node gives a module).
const WRAP_START = '(function (exports, require, module, __filename, __dirname) {';
const WRAP_END = '\n})';

/**
 * Writes `bundleFile` wrapped as a CommonJS module function to `outFile`: compiled with vm.Script, it is the
 * function itself, with no second copy of the program made by concatenation when it starts.
 */
export function wrapBundle(bundleFile, outFile) {
  writeFileSync(outFile, WRAP_START + readFileSync(bundleFile, 'utf8') + WRAP_END);
}

/**
 * V8's code cache of a wrapped bundle compiled under `filename`, made by the Node running the build (so for its
 * version and architecture; V8 rejects any other and simply compiles).
 */
export function bundleCodeCache(wrappedFile, filename, cacheFile) {
  writeFileSync(cacheFile, new Script(readFileSync(wrappedFile, 'utf8'), { filename }).createCachedData());
}
