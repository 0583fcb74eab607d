import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// Compile src/ to dist/ once before any test, so integration tests run the real `bin/ha.js`.
export default function setup(): void {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
