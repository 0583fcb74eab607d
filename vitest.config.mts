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
  },
});
