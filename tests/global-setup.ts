import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Compile src/ to dist/ once before any test, so integration tests run the real `bin/ha.js`.
// Type errors do not stop the emit here: `npm test` type-checks strictly before vitest runs.
export default function setup(): void {
  const root = join(__dirname, '..');
  const result = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) process.stderr.write(`tsc reported problems (build emitted anyway):\n${result.stdout}${result.stderr}`);
}
