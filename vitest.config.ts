import { defineConfig } from 'vitest/config';

// Tests of the repository's own tooling (docs build in a real browser, the new-vendor scaffold, packaging).
// Each package's tests run through `turbo run test`.
export default defineConfig({
  test: {
    include: ['scripts/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
