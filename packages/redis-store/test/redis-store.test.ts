import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { TokenError, type TokenSet } from '@token-clients/core';
import { RedisStore, type RedisClient, type UnreadableValueEvent } from '../src/index.js';
import { connectClient, counted, LIBRARIES, uniquePrefix, type TestClient } from './support/clients.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);

const token = (name: string, extra: Partial<TokenSet> = {}): TokenSet => ({
  accessToken: `access-${name}`,
  tokenType: 'bearer',
  expiresAt: T0 + HOUR,
  raw: { access_token: `access-${name}` },
  ...extra,
});

const timersPending = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe.each(LIBRARIES)('RedisStore with %s', (library) => {
  let redis: TestClient;
  let prefix: string;
  let unreadable: UnreadableValueEvent[];
  const store = (options: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}) =>
    new RedisStore({ client: redis.client, keyPrefix: prefix, onUnreadableValue: (event) => unreadable.push(event), ...options });

  beforeEach(async () => {
    redis = await connectClient(library, inject('redisUrl'));
    prefix = uniquePrefix();
    unreadable = [];
  });
  afterEach(async () => {
    await redis.close();
  });

  describe('compare-and-set', () => {
    it('writes version 1 on an empty key, then only on top of the version it was given', async () => {
      const s = store();
      expect(s.shared).toBe(true);
      expect(await s.get('k')).toBeUndefined();

      expect(await s.compareAndSet('k', 0, token('a'), T0)).toEqual({ token: token('a'), version: 1, obtainedAt: T0 });
      expect(await s.get('k')).toEqual({ token: token('a'), version: 1, obtainedAt: T0 });

      // A writer that did not see version 1 loses, and what it brought is not stored.
      expect(await s.compareAndSet('k', 0, token('stale'), T0 + 1)).toBeUndefined();
      expect(await s.compareAndSet('k', 1, token('b'), T0 + 2)).toMatchObject({ version: 2 });
      expect(await s.compareAndSet('k', 1, token('stale'), T0 + 3)).toBeUndefined();
      expect((await s.get('k'))?.token.accessToken).toBe('access-b');
    });

    it('lets exactly one of many concurrent writers (on separate stores) win', async () => {
      const stores = Array.from({ length: 20 }, () => store());
      const results = await Promise.all(stores.map((s, i) => s.compareAndSet('k', 0, token(`w${i}`), T0)));
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      expect((await store().get('k'))?.token.accessToken).toBe(winners[0]!.token.accessToken);
    });

    it('keeps a rotated refresh token: an older pair never overwrites a newer one', async () => {
      const s = store();
      await s.compareAndSet('u', 0, token('1', { refreshToken: 'r1' }), T0);
      await s.compareAndSet('u', 1, token('2', { refreshToken: 'r2' }), T0 + 1);
      expect(await s.compareAndSet('u', 1, token('2-from-r1', { refreshToken: 'r2-other' }), T0 + 2)).toBeUndefined();
      expect((await s.get('u'))?.token.refreshToken).toBe('r2');
    });

    it('writes again when the key vanished (evicted, flushed, Redis restarted), without reusing a version', async () => {
      const s = store();
      await s.compareAndSet('k', 0, token('a'), T0);
      await redis.command('DEL', `${prefix}{k}:token`);
      expect(await s.get('k')).toBeUndefined();
      expect(await s.compareAndSet('k', 1, token('b'), T0 + 1)).toMatchObject({ version: 2 });
      expect(await s.get('k')).toMatchObject({ version: 2, token: { accessToken: 'access-b' } });
    });

    it('round-trips every field of a token set', async () => {
      const full = token('full', { refreshToken: 'r', refreshExpiresAt: T0 + 30 * 24 * HOUR, scope: ['a', 'b'], raw: { nested: [1, { x: 'y' }] } });
      await store().compareAndSet('k', 0, full, T0);
      expect((await store().get('k'))?.token).toEqual(full);
    });
  });

  describe('keys', () => {
    it('namespaces both keys under the prefix, in one hash slot, and touches nothing else', async () => {
      const s = store();
      await s.compareAndSet('dushu:host:client', 0, token('a'), T0);
      const lease = await s.acquireLease('dushu:host:client', 10_000);
      const keys = (await redis.command('KEYS', `${prefix}*`)) as string[];
      expect(keys.sort()).toEqual([`${prefix}{dushu:host:client}:lease`, `${prefix}{dushu:host:client}:token`]);
      await lease?.release();
    });

    it('uses token-clients: as the default prefix', async () => {
      const key = `default-prefix-${prefix}`;
      await new RedisStore({ client: redis.client }).compareAndSet(key, 0, token('a'), T0);
      expect(await redis.command('EXISTS', `token-clients:{${key}}:token`)).toBe(1);
      await redis.command('DEL', `token-clients:{${key}}:token`);
    });

    it('keeps a token as long as it can be used, and no longer', async () => {
      const s = store();
      const pttl = async (key: string) => Number(await redis.command('PTTL', `${prefix}{${key}}:token`));
      const DAY = 24 * HOUR;

      await s.compareAndSet('client', 0, token('a', { expiresAt: T0 + 2 * HOUR }), T0);
      expect(await pttl('client')).toBeGreaterThan(2 * HOUR + DAY - 5_000);
      expect(await pttl('client')).toBeLessThanOrEqual(2 * HOUR + DAY);

      // The refresh token outlives the access token: the key lives as long as the refresh token.
      await s.compareAndSet('user', 0, token('b', { refreshToken: 'r', refreshExpiresAt: T0 + 30 * DAY }), T0);
      expect(await pttl('user')).toBeGreaterThan(31 * DAY - 5_000);

      // A refresh token of unknown lifetime is never dropped; a later write with an expiry sets one again.
      await s.compareAndSet('user', 1, token('c', { refreshToken: 'r2' }), T0);
      expect(await pttl('user')).toBe(-1);
      await s.compareAndSet('user', 2, token('d'), T0);
      expect(await pttl('user')).toBeGreaterThan(0);
    });
  });

  describe('lease', () => {
    it('is held by one holder at a time, expires by itself, and is given back on release', async () => {
      const [a, b] = [store(), store()];
      const lease = await a.acquireLease('k', 2_000);
      expect(lease).toBeDefined();
      expect(await b.acquireLease('k', 2_000)).toBeUndefined();
      expect(await a.acquireLease('k', 2_000)).toBeUndefined();
      const ttl = Number(await redis.command('PTTL', `${prefix}{k}:lease`));
      expect(ttl).toBeGreaterThan(1_000);
      expect(ttl).toBeLessThanOrEqual(2_000);

      await lease!.release();
      await lease!.release();
      const next = await b.acquireLease('k', 2_000);
      expect(next).toBeDefined();
      await next!.release();
    });

    it('never frees a successor: a holder whose lease ran out releases nothing', async () => {
      const [a, b] = [store(), store()];
      const stale = await a.acquireLease('k', 2_000);
      await redis.command('DEL', `${prefix}{k}:lease`); // what expiry does
      const current = await b.acquireLease('k', 2_000);
      expect(current).toBeDefined();
      await stale!.release();
      expect(await a.acquireLease('k', 2_000)).toBeUndefined();
      await current!.release();
      expect(await redis.command('EXISTS', `${prefix}{k}:lease`)).toBe(0);
    });

    it('keys the lease per store key', async () => {
      const s = store();
      const [one, two] = await Promise.all([s.acquireLease('one', 2_000), s.acquireLease('two', 2_000)]);
      expect(one).toBeDefined();
      expect(two).toBeDefined();
      await Promise.all([one!.release(), two!.release()]);
    });
  });

  describe('waitForUpdate', () => {
    it('returns at once when nobody holds the lease or the version already moved', async () => {
      const s = store();
      await s.waitForUpdate('k', 0, 10_000);
      const lease = await s.acquireLease('k', 10_000);
      await s.compareAndSet('k', 0, token('a'), T0);
      await s.waitForUpdate('k', 0, 10_000);
      await lease!.release();
    });

    it('resolves when another process commits a new version', async () => {
      const [holder, waiter] = [store(), store()];
      const lease = await holder.acquireLease('k', 10_000);
      let resolved = false;
      const waiting = waiter.waitForUpdate('k', 0, 10_000).then(() => (resolved = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(resolved).toBe(false);
      await holder.compareAndSet('k', 0, token('a'), T0);
      const started = performance.now();
      await waiting;
      expect(performance.now() - started).toBeLessThan(1_000);
      await lease!.release();
    });

    it('resolves when the holder gives up the lease without writing', async () => {
      const [holder, waiter] = [store(), store()];
      const lease = await holder.acquireLease('k', 10_000);
      const waiting = waiter.waitForUpdate('k', 0, 10_000);
      await lease!.release();
      await waiting;
    });

    it('does not take a vanished key for an update: it waits for the holder', async () => {
      const [holder, waiter] = [store(), store()];
      await holder.compareAndSet('k', 0, token('a'), T0);
      await redis.command('DEL', `${prefix}{k}:token`);
      const lease = await holder.acquireLease('k', 10_000);
      let resolved = false;
      const waiting = waiter.waitForUpdate('k', 1, 10_000).then(() => (resolved = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(resolved).toBe(false);
      await holder.compareAndSet('k', 1, token('b'), T0);
      await waiting;
      await lease!.release();
    });

    it('polls with backoff — a few commands a second — and gives up after the timeout, leaving no timer', async () => {
      const { client, calls } = counted(redis.client);
      const holder = store();
      const waiter = store({ client });
      const lease = await holder.acquireLease('k', 10_000);
      const timersBefore = timersPending();
      const started = performance.now();
      await waiter.waitForUpdate('k', 0, 600);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(590);
      expect(elapsed).toBeLessThan(1_000);
      // Two one-key reads per poll; polls 20 ms apart at first, then up to 250 ms apart.
      expect(calls()).toBeLessThanOrEqual(2 * 12);
      expect(timersPending()).toBeLessThanOrEqual(timersBefore);
      await lease!.release();
    });

    it('stops at once when the signal aborts, leaving no timer or listener', async () => {
      const holder = store();
      const lease = await holder.acquireLease('k', 10_000);
      const timersBefore = timersPending();
      const controller = new AbortController();
      const started = performance.now();
      const waiting = store().waitForUpdate('k', 0, 10_000, controller.signal);
      setTimeout(() => controller.abort(), 100);
      await waiting;
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(timersPending()).toBeLessThanOrEqual(timersBefore);
      await lease!.release();
    });
  });

  describe('unreadable values', () => {
    it('treats a foreign or corrupt value as absent, reports it, and replaces exactly that version', async () => {
      const s = store();
      await s.compareAndSet('k', 0, token('a'), T0);
      await redis.command('HSET', `${prefix}{k}:token`, 'd', '{"not":"a token"}');
      expect(await s.get('k')).toBeUndefined();
      expect(unreadable).toEqual([{ key: 'k', version: 1, reason: 'the value is not a token set' }]);

      // The provider saw "nothing" and writes with expected version 0; the store replaces version 1.
      expect(await s.compareAndSet('k', 0, token('b'), T0)).toMatchObject({ version: 2 });
      expect((await s.get('k'))?.token.accessToken).toBe('access-b');
    });

    it('does not replace an unreadable value that someone has overwritten since', async () => {
      const [s, other] = [store(), store()];
      await s.compareAndSet('k', 0, token('a'), T0);
      await redis.command('HSET', `${prefix}{k}:token`, 'd', 'garbage');
      expect(await s.get('k')).toBeUndefined();
      await redis.command('HSET', `${prefix}{k}:token`, 'v', '2', 'd', JSON.stringify(token('newer')));
      expect(await s.compareAndSet('k', 0, token('b'), T0)).toBeUndefined();
      expect((await other.get('k'))?.token.accessToken).toBe('access-newer');
    });

    it('warns once through process warnings when no listener is given', async () => {
      const warnings: string[] = [];
      const original = process.emitWarning;
      process.emitWarning = ((message: string) => void warnings.push(message)) as typeof process.emitWarning;
      try {
        const s = new RedisStore({ client: redis.client, keyPrefix: prefix });
        await s.compareAndSet('k', 0, token('a'), T0);
        await redis.command('HSET', `${prefix}{k}:token`, 'd', 'garbage');
        expect(await s.get('k')).toBeUndefined();
        expect(await s.get('k')).toBeUndefined();
      } finally {
        process.emitWarning = original;
      }
      expect(warnings).toEqual(['RedisStore: the stored token for "k" cannot be read (the value is not JSON); it is treated as absent.']);
    });
  });

  it('sends scripts by digest and by source again after Redis forgot them', async () => {
    const s = store();
    await s.compareAndSet('k', 0, token('a'), T0);
    await redis.command('SCRIPT', 'FLUSH');
    expect((await s.get('k'))?.token.accessToken).toBe('access-a');
    expect(await s.compareAndSet('k', 1, token('b'), T0)).toMatchObject({ version: 2 });
  });

  it('says clearly when the client has been closed', async () => {
    const s = store();
    await redis.close();
    const error = await s.get('k').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: 'invalid_configuration', vendor: 'redis-store' });
    expect((error as Error).message).toMatch(library === 'node-redis' ? /not connected: call `await client.connect\(\)`/ : /has been closed/);
  });
});

describe('RedisStore configuration', () => {
  it('rejects what is not a node-redis or ioredis client, saying what it takes', () => {
    expect(() => new RedisStore({ client: {} as RedisClient })).toThrow(/must be a node-redis client .* or an ioredis client/);
    expect(() => new RedisStore(undefined as never)).toThrow(TokenError);
  });

  it('says that a node-redis client must be connected first', async () => {
    const { createClient } = await import('redis');
    const client = createClient({ url: inject('redisUrl') });
    const store = new RedisStore({ client });
    await expect(store.get('k')).rejects.toMatchObject({ code: 'invalid_configuration', message: expect.stringContaining('connect()') });
  });

  it('checks waitForReplicas', () => {
    const client = { evalsha: async () => null, eval: async () => null } as RedisClient;
    for (const bad of [{}, { replicas: 0, timeoutMs: 100 }, { replicas: 1.5, timeoutMs: 100 }, { replicas: 1, timeoutMs: 0 }, { replicas: 1, timeoutMs: 120_000 }, 'x']) {
      expect(() => new RedisStore({ client, waitForReplicas: bad as never })).toThrow(/waitForReplicas\.(replicas|timeoutMs) must be/);
    }
    expect(() => new RedisStore({ client, waitForReplicas: { replicas: 2, timeoutMs: 500 } })).not.toThrow();
  });

  it.each(LIBRARIES)('with waitForReplicas on a primary without replicas, %s writes without waiting (nothing could be promoted)', async (library) => {
    const redis = await connectClient(library, inject('redisUrl'));
    const touched: string[] = [];
    const watched = new Proxy(redis.client as object, {
      get(target, property, receiver) {
        if (property === 'pipeline' || property === 'sendCommand') touched.push(property);
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as RedisClient;
    try {
      const store = new RedisStore({ client: watched, keyPrefix: uniquePrefix(), waitForReplicas: { replicas: 1, timeoutMs: 60_000 } });
      const withRefreshToken = { accessToken: 'a', tokenType: 'bearer', expiresAt: Date.UTC(2026, 10, 22, 9), refreshToken: 'r', raw: {} };
      expect(await store.compareAndSet('k', 0, withRefreshToken, Date.UTC(2026, 10, 22, 8))).toMatchObject({ version: 1 });
      expect(touched).toEqual([]);
    } finally {
      await redis.close();
    }
  });

  it('checks keyPrefix and commandTimeoutMs', () => {
    const client = { evalsha: async () => null, eval: async () => null } as RedisClient;
    expect(() => new RedisStore({ client, keyPrefix: 1 as never })).toThrow(/keyPrefix must be a string/);
    expect(() => new RedisStore({ client, commandTimeoutMs: 0 })).toThrow(/commandTimeoutMs/);
  });

  it('gives up on a command that hangs, and hands back a lease that arrives too late', async () => {
    let answer: (reply: unknown) => void = () => {};
    let calls = 0;
    const released: string[] = [];
    const client = {
      status: 'ready',
      evalsha: (_sha: string, _keys: number, key: string) => {
        // The first command (taking the lease) hangs; the next one is the release.
        if (calls++ === 0) return new Promise((resolve) => (answer = resolve));
        released.push(key);
        return Promise.resolve(1);
      },
      eval: async () => null,
    } as unknown as RedisClient;
    const store = new RedisStore({ client, commandTimeoutMs: 50 });
    await expect(store.acquireLease('k', 1_000)).rejects.toMatchObject({ code: 'timeout', vendor: 'redis-store' });
    answer('OK');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(released).toEqual(['token-clients:{k}:lease']);
  });
});
