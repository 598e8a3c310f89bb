import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSet } from '@token-clients/core';
import { RedisStore, type RedisClient } from '../src/index.js';
import { LIBRARIES, uniquePrefix, type Library } from './support/clients.js';
import { startRedisCluster, type RedisCluster } from './support/redis-server.js';

// Every operation touches one key, so the store runs on Redis Cluster unchanged: here, three masters.

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const token = (name: string): TokenSet => ({ accessToken: name, tokenType: 'bearer', expiresAt: T0 + 3_600_000, raw: {} });

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

async function connectCluster(library: Library): Promise<{ client: RedisClient; close(): Promise<void> }> {
  if (library === 'node-redis') {
    const { createCluster } = await import('redis');
    const client = createCluster({ rootNodes: cluster.nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) });
    client.on('error', () => {});
    await client.connect();
    return { client, close: async () => client.destroy() };
  }
  const { Cluster } = await import('ioredis');
  const client = new Cluster(cluster.nodes);
  client.on('error', () => {});
  await new Promise((resolve) => client.once('ready', resolve));
  return { client, close: async () => client.disconnect() };
}

describe.each(LIBRARIES)('RedisStore on Redis Cluster with %s', (library) => {
  it('stores, compares-and-sets, leases and waits on keys spread over the cluster', async () => {
    const { client, close } = await connectCluster(library);
    try {
      const prefix = uniquePrefix();
      const store = new RedisStore({ client, keyPrefix: prefix });
      const keys = Array.from({ length: 40 }, (_, index) => `vendor:host:client-${index}`);
      await Promise.all(keys.map((key) => store.compareAndSet(key, 0, token(key), T0)));
      // The keys are spread over all three masters; a token and its lease share a slot.
      const sizes = await Promise.all(cluster.nodes.map(({ port }) => cluster.cli(['DBSIZE'], port)));
      expect(sizes.map(Number).every((size) => size > 0)).toBe(true);
      const slot = (name: string) => cluster.cli(['CLUSTER', 'KEYSLOT', name]);
      expect(await slot(`${prefix}{${keys[0]}}:lease`)).toBe(await slot(`${prefix}{${keys[0]}}:token`));
      for (const key of keys) expect(await store.get(key)).toEqual({ token: token(key), version: 1, obtainedAt: T0 });
      expect(await store.compareAndSet(keys[0]!, 0, token('stale'), T0)).toBeUndefined();

      const lease = await store.acquireLease(keys[1]!, 5_000);
      expect(lease).toBeDefined();
      expect(await store.acquireLease(keys[1]!, 5_000)).toBeUndefined();
      const waiting = store.waitForUpdate(keys[1]!, 1, 5_000);
      await store.compareAndSet(keys[1]!, 1, token('next'), T0);
      await waiting;
      await lease!.release();
      expect(await store.acquireLease(keys[1]!, 5_000)).toBeDefined();

      // The quota counter is hash-tagged too, so it works wherever its slot lives.
      const counts = await Promise.all(keys.slice(0, 8).map((key) => Promise.all([store.increment(`quota:${key}`, 60_000), store.increment(`quota:${key}`, 60_000)])));
      expect(counts.every(([first, second]) => [first, second].sort().join() === '1,2')).toBe(true);
    } finally {
      await close();
    }
  });
});
