import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { TokenSet } from '@token-clients/core';
import { createDushuClient } from '@token-clients/dushu';
import { startDushuFake, type DushuFake } from '@token-clients/testkit';
import { RedisStore, type RedisClient, type RedisStoreEvent } from '../src/index.js';
import { connectClient, counted, LIBRARIES, uniquePrefix, type TestClient } from './support/clients.js';

// Issue 12, item 2 (store side): a record the store cannot read is reported once, reads as absent, and is
// replaced by the next compare-and-set that expected nothing — atomically, in the write script — so a provider
// repairs it instead of looping between "absent" and "refused".

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const token = (name: string): TokenSet => ({ accessToken: `access-${name}`, tokenType: 'bearer', expiresAt: T0 + HOUR, raw: {} });

/** Raw commands that leave an unreadable record of each kind under `key`. */
const BAD_RECORDS: Record<string, (key: string) => string[]> = {
  'a version that is not a number': (key) => ['HSET', key, 'v', 'x', 't', String(T0), 'd', JSON.stringify(token('foreign'))],
  'a version that is not an integer': (key) => ['HSET', key, 'v', '1.5', 't', String(T0), 'd', JSON.stringify(token('foreign'))],
  'bad JSON': (key) => ['HSET', key, 'v', '4', 't', String(T0), 'd', '{not json'],
  'JSON that is not a token set': (key) => ['HSET', key, 'v', '4', 't', String(T0), 'd', '{"accessToken":1}'],
  'a missing value': (key) => ['HSET', key, 'v', '4', 't', String(T0)],
  'a missing obtainedAt': (key) => ['HSET', key, 'v', '4', 'd', JSON.stringify(token('foreign'))],
  'only foreign fields': (key) => ['HSET', key, 'owner', 'someone else'],
};

/** Resolves with `promise`, or rejects once the store has sent more than `limit` scripts (a loop). */
async function within<T>(promise: Promise<T>, calls: () => number, limit: number): Promise<T> {
  let timer: ReturnType<typeof setInterval> | undefined;
  const loop = new Promise<never>((_, reject) => {
    timer = setInterval(() => calls() > limit && reject(new Error(`more than ${limit} Redis scripts: the provider loops`)), 5);
  });
  try {
    return await Promise.race([promise, loop]);
  } finally {
    clearInterval(timer);
  }
}

describe.each(LIBRARIES)('unreadable records with %s', (library) => {
  let redis: TestClient;
  let prefix: string;
  let events: RedisStoreEvent[];
  const store = (client: RedisClient = redis.client) => new RedisStore({ client, keyPrefix: prefix, onEvent: (event) => events.push(event) });
  const tokenKey = (key: string) => `${prefix}{${key}}:token`;

  beforeEach(async () => {
    redis = await connectClient(library, inject('redisUrl'));
    prefix = uniquePrefix();
    events = [];
  });
  afterEach(async () => {
    await redis.close();
  });

  it.each(Object.keys(BAD_RECORDS))('with %s: absent, reported once, replaced by the next write that expected nothing', async (kind) => {
    const s = store();
    await redis.command(...BAD_RECORDS[kind]!(tokenKey('k')));
    expect(await s.get('k')).toBeUndefined();
    expect(await s.get('k')).toBeUndefined();
    expect(events).toEqual([{ type: 'unreadable_value', key: 'k', version: expect.any(Number), reason: expect.any(String) }]);

    const written = await s.compareAndSet('k', 0, token('repaired'), T0);
    expect(written).toMatchObject({ token: token('repaired') });
    // Above the replaced record's version when it had a valid one, so no version is ever reused.
    expect(written!.version).toBeGreaterThan(events[0]!.type === 'unreadable_value' ? events[0]!.version : 0);
    expect(await store().get('k')).toEqual(written);
    expect(((await redis.command('HKEYS', tokenKey('k'))) as string[]).sort()).toEqual(['d', 't', 'v']);
  });

  it('replaces a record that is not one of ours in the write script alone, without a read first', async () => {
    await redis.command(...BAD_RECORDS['a version that is not a number']!(tokenKey('k')));
    expect(await store().compareAndSet('k', 0, token('a'), T0)).toMatchObject({ version: 1 });
    expect((await store().get('k'))?.token.accessToken).toBe('access-a');
  });

  it('does not replace an unreadable record that another writer has replaced since', async () => {
    const [s, other] = [store(), store()];
    await s.compareAndSet('k', 0, token('a'), T0);
    await redis.command('HSET', tokenKey('k'), 'd', 'garbage');
    expect(await s.get('k')).toBeUndefined();
    expect(await other.compareAndSet('k', 1, token('newer'), T0)).toMatchObject({ version: 2 });
    expect(await s.compareAndSet('k', 0, token('b'), T0)).toBeUndefined();
    expect((await other.get('k'))?.token.accessToken).toBe('access-newer');
  });

  it('reports a new bad record under the same key again, after a good one', async () => {
    const s = store();
    await redis.command('HSET', tokenKey('k'), 'v', 'x');
    await s.get('k');
    await s.compareAndSet('k', 0, token('a'), T0);
    await redis.command('HSET', tokenKey('k'), 'd', 'garbage');
    await s.get('k');
    await s.get('k');
    expect(events.map((event) => event.type === 'unreadable_value' && event.reason)).toEqual([
      'the record has no valid version',
      'the value is not JSON',
    ]);
  });

  describe('a provider on a bad record', () => {
    let dushu: DushuFake;
    beforeEach(async () => {
      dushu = await startDushuFake();
    });
    afterEach(async () => {
      await dushu.close();
    });

    it.each(Object.keys(BAD_RECORDS))('with %s: settles, repairs it, and shares the token again', async (kind) => {
      let now = T0;
      const clock = { now: () => now };
      const { client, calls } = counted(redis.client);
      const vendor = createDushuClient({ clientId: dushu.clientId, clientSecret: dushu.clientSecret, baseUrl: dushu.url, clock });
      const provider = vendor.tokenProvider({ store: store(client), clock });
      await redis.command(...BAD_RECORDS[kind]!(tokenKey(provider.key)));
      try {
        const first = await within(provider.getToken(), calls, 20);
        // A minute later the provider re-validates its copy against the store (where the loop used to be).
        now += 60_000;
        expect(await within(provider.getToken(), calls, 40)).toEqual(first);
        expect(dushu.requests).toHaveLength(1);
        // Repaired: another process reads the token from Redis.
        expect((await store().get(provider.key))?.token.accessToken).toBe(first.accessToken);
        expect(events.filter((event) => event.type === 'unreadable_value')).toHaveLength(1);
      } finally {
        await provider.close();
      }
    });
  });
});
