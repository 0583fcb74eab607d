import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Build once before any test as `npm run build` does (src/ to dist/, then dist/ha-bundle.js), so integration tests
// run the real `bin/ha.js`. Type errors do not stop the emit here: `npm test` type-checks strictly before vitest
// runs; a bundle that fails to build stops the run (bin/ha.js would quietly run dist/ without it).
export default function setup(): void {
  const root = join(__dirname, '..');
  const result = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) process.stderr.write(`tsc reported problems (build emitted anyway):\n${result.stdout}${result.stderr}`);
  const bundle = spawnSync(process.execPath, [join(root, 'scripts', 'build-node-bundle.mjs')], { cwd: root, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`scripts/build-node-bundle.mjs failed:\n${bundle.stdout}${bundle.stderr}`);
}
