#!/usr/bin/env node
// Second step of `npm run build` (after tsc): dist/ha-bundle.js, the whole program as one CommonJS module
// function, and dist/ha-bundle.cache, V8's code cache of it made by this Node. bin/ha.js starts from them as the
// single executable starts from its own: no module path resolved, nothing compiled before it runs.
// Usage: node scripts/build-node-bundle.mjs
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCodeCache, bundleForNode, wrapBundle } from './build-exe-bundle.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'ha-bundle.js');
const CACHE = join(DIST, 'ha-bundle.cache');

const work = mkdtempSync(join(DIST, '.bundle-'));
try {
  const plain = join(work, 'plain.cjs');
  await bundleForNode(ROOT, plain);
  const wrapped = join(work, 'ha-bundle.js');
  wrapBundle(plain, wrapped);
  const cache = join(work, 'ha-bundle.cache');
  bundleCodeCache(wrapped, BUNDLE, cache);
  // The old cache goes first and the new one comes last: a cache never sits beside a bundle it was not made
  // from, even if this is interrupted (V8 checks a cache against the source's length, not its text).
  rmSync(CACHE, { force: true });
  renameSync(wrapped, BUNDLE);
  renameSync(cache, CACHE);
} finally {
  rmSync(work, { recursive: true, force: true });
}
