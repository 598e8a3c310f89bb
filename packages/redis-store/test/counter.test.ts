import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { TokenError } from '@token-clients/core';
import { RedisStore } from '../src/index.js';
import { connectClient, uniquePrefix, type TestClient } from './support/clients.js';

// Issue 15: the daily quota's fleet-wide counter, `TokenStore.increment(counterKey, ttlMs)`.

const DAY = 24 * 3_600_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let clients: TestClient[];
let prefix: string;
beforeEach(async () => {
  clients = await Promise.all([connectClient('node-redis', inject('redisUrl')), connectClient('ioredis', inject('redisUrl'))]);
  prefix = uniquePrefix();
});
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
});
const stores = () => clients.map((client) => new RedisStore({ client: client.client, keyPrefix: prefix }));
const redisKey = (counterKey: string) => `${prefix}{${counterKey}}:count`;

describe('RedisStore.increment', () => {
  it('counts 1..8 for 8 concurrent increments from two clients, on one hash-tagged key under the prefix', async () => {
    const [a, b] = stores();
    const counts = await Promise.all(Array.from({ length: 8 }, (_, index) => (index % 2 === 0 ? a! : b!).increment('quota:dushu:2026-11-22', DAY)));
    expect(counts.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await clients[0]!.command('KEYS', `${prefix}*`)).toEqual([redisKey('quota:dushu:2026-11-22')]);
    expect(await clients[0]!.command('GET', redisKey('quota:dushu:2026-11-22'))).toBe('8');
  });

  it('sets the expiry when the counter is new and never extends it', async () => {
    const [a] = stores();
    await a!.increment('c', DAY);
    const first = Number(await clients[0]!.command('PTTL', redisKey('c')));
    expect(first).toBeGreaterThan(DAY - 5_000);
    expect(first).toBeLessThanOrEqual(DAY);
    await clients[0]!.command('PEXPIRE', redisKey('c'), String(DAY / 2));
    expect(await a!.increment('c', DAY)).toBe(2);
    expect(Number(await clients[0]!.command('PTTL', redisKey('c')))).toBeLessThanOrEqual(DAY / 2);
  });

  it('expires: after ttlMs the key is gone and the count starts again at 1', async () => {
    const [a, b] = stores();
    expect(await a!.increment('short', 100)).toBe(1);
    expect(await b!.increment('short', 100)).toBe(2);
    for (const deadline = performance.now() + 5_000; (await clients[0]!.command('EXISTS', redisKey('short'))) === 1; await pause(20)) {
      expect(performance.now()).toBeLessThan(deadline);
    }
    expect(await b!.increment('short', 100)).toBe(1);
  });

  it('starts again on a key it cannot count, or one that lost its expiry (it would never reset)', async () => {
    const [a] = stores();
    await clients[0]!.command('RPUSH', redisKey('list'), 'x');
    expect(await a!.increment('list', DAY)).toBe(1);
    await clients[0]!.command('SET', redisKey('text'), 'not a number');
    expect(await a!.increment('text', DAY)).toBe(1);
    await clients[0]!.command('SET', redisKey('forever'), '41');
    expect(await a!.increment('forever', DAY)).toBe(42);
    expect(Number(await clients[0]!.command('PTTL', redisKey('forever')))).toBeGreaterThan(0);
  });

  it('refuses a counter key or time to live that makes no sense', async () => {
    const [a] = stores();
    for (const [key, ttl] of [['', DAY], ['c', 0], ['c', Number.NaN], ['c', Number.POSITIVE_INFINITY]] as const) {
      await expect(a!.increment(key, ttl)).rejects.toBeInstanceOf(TokenError);
    }
    await expect(a!.increment('c', -1)).rejects.toMatchObject({ code: 'invalid_configuration', message: expect.stringContaining('ttlMs') });
  });
});
