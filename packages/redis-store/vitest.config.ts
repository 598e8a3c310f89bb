import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One redis-server for the run; the outage test starts its own, since it stops it.
    globalSetup: ['test/support/global-setup.ts'],
    // The fleet tests start eight Node processes each; the timeouts leave room for a slow CI machine.
    testTimeout: 30_000,
    // Two files at a time even on a two-core machine: the failover files spend their time waiting for Redis.
    maxWorkers: 2,
    hookTimeout: 30_000,
  },
});
