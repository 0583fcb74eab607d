import { defineConfig } from 'vitest/config';

// Unit tests are pure and fast; integration tests spawn the built CLI in real ptys, so the
// global setup compiles src/ to dist/ once (no manual build step before `npm test`).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time: most wait on ptys, QEMU, fsync and child processes, and vitest's default on
    // a 2-core machine (available parallelism minus one) ran one file at a time (919 s against 448 s).
    maxWorkers: 2,
  },
});
