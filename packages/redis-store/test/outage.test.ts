import { afterEach, describe, expect, it } from 'vitest';
import { TokenError } from '@token-clients/core';
import { RedisStore } from '../src/index.js';
import { connectClient, LIBRARIES, uniquePrefix, type TestClient } from './support/clients.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

// These tests stop Redis, so each starts a redis-server of its own rather than the shared one. The fleet's
// behaviour during an outage is in fleet.test.ts.

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);

let server: RedisServer | undefined;
const clients: TestClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.stop();
  server = undefined;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis outage', () => {
  it.each(LIBRARIES)('with %s, a store on a stopped Redis fails at once, and works again when it is back', async (library) => {
    server = await startRedisServer();
    const redis = await connectClient(library, server.url);
    clients.push(redis);
    const store = new RedisStore({ client: redis.client, keyPrefix: uniquePrefix() });
    await store.compareAndSet('k', 0, { accessToken: 'a', tokenType: 'bearer', expiresAt: T0 + HOUR, raw: {} }, T0);

    await server.stop();
    await pause(50); // the client notices the closed connection
    const started = performance.now();
    const error = await store.get('k').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: 'network_error', vendor: 'redis-store', message: expect.stringMatching(/Redis is unreachable/) });
    // A lease cannot be taken either, and a waiter is not kept waiting.
    await expect(store.acquireLease('k', 1_000)).rejects.toThrow(/unreachable/);
    await store.waitForUpdate('k', 1, 10_000);

    await server.start();
    for (const deadline = performance.now() + 10_000; ; await pause(50)) {
      const back = await store.get('k').then(
        () => true,
        () => false,
      );
      if (back) break;
      expect(performance.now()).toBeLessThan(deadline);
    }
    // Redis kept nothing (no persistence): the first write after the restart succeeds whatever was expected.
    expect(await store.get('k')).toBeUndefined();
    expect(await store.compareAndSet('k', 1, { accessToken: 'b', tokenType: 'bearer', expiresAt: T0 + HOUR, raw: {} }, T0)).toMatchObject({
      version: 2,
    });
  });
});
