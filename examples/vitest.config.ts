import { defineConfig } from 'vitest/config';

// Each test runs one example as a user would (`tsx <example>.ts`, a child process) against the testkit fakes:
// the generous timeouts cover tsx's start-up on a busy two-core machine; an example that does not exit by
// itself fails on them.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
