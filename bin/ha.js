#!/usr/bin/env node
'use strict';
// Entry point of the `ha` command. `npm run build` compiles src/ to dist/ and bundles that into
// dist/ha-bundle.js, the whole program as one module function, with V8's code cache of it: started from there,
// as the single executable starts, no module path is resolved and nothing is compiled before it runs.
// dist/bin/main.js serves when there is no bundle or it is older than dist/ (tsc run after the last build).
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'ha-bundle.js');

function bundleIsCurrent() {
  try {
    return statSync(bundle).mtimeMs >= statSync(join(dist, 'bin', 'main.js')).mtimeMs;
  } catch {
    return false;
  }
}

if (bundleIsCurrent()) {
  let cachedData;
  try {
    cachedData = readFileSync(join(dist, 'ha-bundle.cache'));
  } catch {
    cachedData = undefined;
  }
  const { Script } = require('node:vm');
  // Its externals (node-pty, serialport, ext2fs, systeminformation) are required from here, as from the package.
  const program = { exports: {} };
  new Script(readFileSync(bundle, 'utf8'), { filename: bundle, cachedData }).runInThisContext()(program.exports, require, program, bundle, dist);
} else {
  require('../dist/bin/main.js').main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
