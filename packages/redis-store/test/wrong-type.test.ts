import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { TokenProviderEvent, TokenSet } from '@token-clients/core';
import { createDushuClient } from '@token-clients/dushu';
import { startDushuFake, type DushuFake } from '@token-clients/testkit';
import { RedisStore, type RedisStoreEvent } from '../src/index.js';
import { connectClient, LIBRARIES, uniquePrefix, type TestClient } from './support/clients.js';

// Issue 12, item 3: a key of the wrong Redis type under the token key or the lease key used to give WRONGTYPE
// (an outage for ever: every process refreshing alone) or a lease nobody could take. Now it is reported as
// corruption, replaced atomically, and the fleet shares one token again.

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const token = (name: string): TokenSet => ({ accessToken: `access-${name}`, tokenType: 'bearer', expiresAt: T0 + 3_600_000, raw: {} });

/** Raw commands that put a key of another type (or a lease that never expires) under `key`. */
const WRONG_TYPES: Record<string, (key: string) => string[]> = {
  string: (key) => ['SET', key, 'not a hash'],
  list: (key) => ['RPUSH', key, 'a', 'b'],
  set: (key) => ['SADD', key, 'a'],
};
const FOREIGN_LEASES: Record<string, (key: string) => string[]> = {
  'string without expiry': (key) => ['SET', key, 'someone'],
  list: (key) => ['RPUSH', key, 'a'],
  set: (key) => ['SADD', key, 'a'],
};

describe.each(LIBRARIES)('keys of the wrong type with %s', (library) => {
  let redis: TestClient;
  let others: TestClient[];
  let prefix: string;
  let events: RedisStoreEvent[];
  const store = (client = redis.client) => new RedisStore({ client, keyPrefix: prefix, onEvent: (event) => events.push(event) });
  const names = (key: string) => ({ token: `${prefix}{${key}}:token`, lease: `${prefix}{${key}}:lease` });

  beforeEach(async () => {
    redis = await connectClient(library, inject('redisUrl'));
    others = [];
    prefix = uniquePrefix();
    events = [];
  });
  afterEach(async () => {
    await Promise.all([redis, ...others].map((client) => client.close()));
  });

  it.each(Object.keys(WRONG_TYPES))('a %s under the token key: absent, reported, replaced by the next write', async (kind) => {
    const s = store();
    await redis.command(...WRONG_TYPES[kind]!(names('k').token));
    expect(await s.get('k')).toBeUndefined();
    expect(await s.get('k')).toBeUndefined();
    expect(events).toEqual([{ type: 'unreadable_value', key: 'k', version: 0, reason: `the key holds a Redis ${kind}, not a hash` }]);
    // A waiter does not take it for an update (nor fail on it).
    await s.waitForUpdate('k', 0, 10);
    expect(await s.compareAndSet('k', 0, token('a'), T0)).toMatchObject({ version: 1 });
    expect(await redis.command('TYPE', names('k').token)).toBe('hash');
    expect((await store().get('k'))?.token.accessToken).toBe('access-a');
  });

  it('a wrong-typed token key is replaced by a writer that expected nothing, without a read first', async () => {
    await redis.command('RPUSH', names('k').token, 'a');
    expect(await store().compareAndSet('k', 0, token('a'), T0)).toMatchObject({ version: 1 });
    expect(await store().compareAndSet('k', 0, token('b'), T0)).toBeUndefined();
  });

  it.each(Object.keys(FOREIGN_LEASES))('a %s under the lease key: not held, reported, replaced by the next taker', async (kind) => {
    const s = store();
    await redis.command(...FOREIGN_LEASES[kind]!(names('k').lease));
    // A waiter does not wait on it: nobody would ever release it.
    const started = performance.now();
    await s.waitForUpdate('k', 0, 10_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    const lease = await s.acquireLease('k', 5_000);
    expect(lease).toBeDefined();
    expect(events).toEqual([{ type: 'unreadable_value', key: 'k', version: 0, reason: `the lease key held a Redis ${kind}, not a lease; it was replaced` }]);
    // It is a real lease now: held, with a time to live, and given back.
    expect(await store().acquireLease('k', 5_000)).toBeUndefined();
    expect(Number(await redis.command('PTTL', names('k').lease))).toBeGreaterThan(0);
    await lease!.release();
    expect(await redis.command('EXISTS', names('k').lease)).toBe(0);
  });

  describe('two providers on a wrong-typed key', () => {
    let dushu: DushuFake;
    beforeEach(async () => {
      dushu = await startDushuFake();
    });
    afterEach(async () => {
      await dushu.close();
    });

    it.each([
      ['a list under the token key', 'token', WRONG_TYPES.list!],
      ['a string under the token key', 'token', WRONG_TYPES.string!],
      ['a set under the lease key', 'lease', FOREIGN_LEASES.set!],
      ['a string without expiry under the lease key', 'lease', FOREIGN_LEASES['string without expiry']!],
    ] as const)('with %s: one vendor request, no outage, shared again', async (_name, where, put) => {
      const clock = { now: () => T0 };
      const vendor = createDushuClient({ clientId: dushu.clientId, clientSecret: dushu.clientSecret, baseUrl: dushu.url, clock });
      const providerEvents: TokenProviderEvent['type'][] = [];
      const second = await connectClient(library, inject('redisUrl'));
      others.push(second);
      const providers = [redis, second].map((client) =>
        vendor.tokenProvider({ store: store(client.client), clock, leaseMs: 20_000, onEvent: (event) => providerEvents.push(event.type) }),
      );
      await redis.command(...put(names(providers[0]!.key)[where]));
      try {
        const [a, b] = await Promise.all(providers.map((provider) => provider.getToken()));
        expect(a!.accessToken).toBe(b!.accessToken);
        expect(dushu.requests).toHaveLength(1);
        expect(providerEvents).not.toContain('store_unavailable');
        expect(events.length).toBeGreaterThanOrEqual(1);
        expect(events.every((event) => event.type === 'unreadable_value')).toBe(true);
        expect(await redis.command('TYPE', names(providers[0]!.key).token)).toBe('hash');
        expect((await store().get(providers[0]!.key))?.token.accessToken).toBe(a!.accessToken);
      } finally {
        await Promise.all(providers.map((provider) => provider.close()));
      }
    });
  });
});
