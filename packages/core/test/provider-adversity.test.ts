/**
 * Defects found beyond issue 12's list: a clock that jumps backwards, a store that never answers, and a storm
 * of invalidate() calls after a burst of 401s.
 */
import { describe, expect, it } from 'vitest';
import { createTokenProvider, MemoryStore, TokenError, type TokenProviderEvent, type TokenStore } from '../src/index.js';
import { countingSource, failOnUnhandledRejections, manualClock, rejection, serverError, settle } from './helpers.js';

failOnUnhandledRejections();

const HOUR = 3_600_000;

describe('a clock that jumps backwards', () => {
  it('still re-reads the store revalidateMs after the jump, not an hour later', async () => {
    const clock = manualClock();
    const store = new MemoryStore();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, store, requestToken: source.requestToken });
    expect(await provider.getAccessToken()).toBe('access-1');
    clock.advance(-HOUR);
    // Another process replaces the token.
    const stored = (await store.get('k'))!;
    await store.compareAndSet('k', stored.version, { ...stored.token, accessToken: 'elsewhere' }, clock.now());
    clock.advance(61_000);
    // The valid local copy is served at once and the store re-read behind it (issue 12.4)…
    await provider.getAccessToken();
    await settle();
    // …so the next call has the replaced token — without the fix, not before the hour is made up.
    expect(await provider.getAccessToken()).toBe('elsewhere');
  });

  it('does not stretch the backoff after a failure by the length of the jump', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    source.failWith = serverError();
    const provider = createTokenProvider({ key: 'k', clock, random: () => 0, requestToken: source.requestToken });
    await rejection(provider.getToken());
    clock.advance(-HOUR);
    source.failWith = undefined;
    clock.advance(1_000);
    expect(await provider.getAccessToken()).toBe('access-1');
  });

  it('does not silence 401 handling for the length of the jump', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken });
    await provider.invalidate(await provider.getAccessToken());
    const second = await provider.getAccessToken();
    clock.advance(-HOUR);
    clock.advance(31_000);
    await provider.invalidate(second);
    expect(await provider.getAccessToken()).toBe('access-3');
  });
});

describe('a store that never answers', () => {
  const hungStore = (inner = new MemoryStore(), hung = { get: true, lease: true, release: false }): TokenStore => {
    const never = new Promise<never>(() => {});
    return {
      shared: true,
      get: (key) => (hung.get ? never : inner.get(key)),
      compareAndSet: (...args) => (hung.get ? never : inner.compareAndSet(...args)),
      acquireLease: async (...args) => {
        if (hung.lease) return never;
        const lease = await inner.acquireLease(...args);
        return lease && { release: () => (hung.release ? never : lease.release()) };
      },
      waitForUpdate: (...args) => (hung.get ? never : inner.waitForUpdate(...args)),
    };
  };

  it('costs a cold caller storeTimeoutMs, then the provider goes on alone and says so', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const events: TokenProviderEvent['type'][] = [];
    // Real timers: the bound is the point. 30 ms keeps the test short.
    const provider = createTokenProvider({ key: 'k', clock, store: hungStore(), storeTimeoutMs: 30, requestToken: source.requestToken, onEvent: (e) => events.push(e.type) });
    expect(await provider.getAccessToken()).toBe('access-1');
    expect(events).toContain('store_unavailable');
    expect(source.calls).toBe(1);
    await provider.close();
  });

  it('cannot hold a refresh hostage through a lease release that never returns', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({
      key: 'k',
      clock,
      store: hungStore(new MemoryStore(), { get: false, lease: false, release: true }),
      storeTimeoutMs: 30,
      requestToken: source.requestToken,
    });
    expect(await provider.getAccessToken()).toBe('access-1');
    await provider.close();
  });

  it('releases callers waiting on a store read when the provider is closed', async () => {
    const clock = manualClock();
    const provider = createTokenProvider({ key: 'k', clock, store: hungStore(), storeTimeoutMs: 60_000, requestToken: countingSource(clock).requestToken });
    const pending = rejection(provider.getToken());
    await settle();
    await provider.close();
    expect((await pending).code).toBe('closed');
  });
});

describe('an invalidate() storm', () => {
  it('1,000 concurrent 401s for one token cost one refresh, and every caller then gets the new token', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken });
    const first = await provider.getAccessToken();
    await Promise.all(Array.from({ length: 1000 }, () => provider.invalidate(first)));
    const after = await Promise.all(Array.from({ length: 1000 }, () => provider.getAccessToken()));
    expect(new Set(after)).toEqual(new Set(['access-2']));
    expect(source.calls).toBe(2);
  });

  it('401s interleaved with getToken() across providers on one store still cost one refresh', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const store = new MemoryStore();
    const providers = Array.from({ length: 5 }, () => createTokenProvider({ key: 'k', clock, store, requestToken: source.requestToken }));
    const first = await providers[0]!.getAccessToken();
    await Promise.all(providers.map((p) => p.getAccessToken()));
    const work = providers.flatMap((p) => [p.invalidate(first), p.getAccessToken(), p.invalidate(first), p.getAccessToken()]);
    const results = await Promise.all(work);
    expect(source.calls).toBe(2);
    const tokens = await Promise.all(providers.map((p) => p.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['access-2']));
    expect(results.filter((r) => typeof r === 'string').every((t) => t === 'access-2' || t === first)).toBe(true);
  });
});

describe('401s while the vendor has asked for a pause', () => {
  it('send nothing before its Retry-After has passed: getToken() reports the pause, then one refresh follows', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, random: () => 0, requestToken: source.requestToken });
    const first = await provider.getAccessToken();
    source.failWith = new TokenError({ code: 'rate_limited', vendor: 'test', message: 'HTTP 429', status: 429, retryAfterMs: 600_000 });
    await provider.invalidate(first);
    expect(source.calls).toBe(2);
    // A 401 every 31 s is past the forced-refresh interval (30 s) but inside the pause: the vendor's 10 minutes,
    // clamped to MAX_RETRY_AFTER_MS (5 minutes). 9 × 31 s = 279 s.
    for (let minute = 0; minute < 9; minute += 1) {
      clock.advance(31_000);
      await provider.invalidate(first);
      expect((await rejection(provider.getToken())).code).toBe('rate_limited');
    }
    expect(source.calls).toBe(2);
    source.failWith = undefined;
    clock.advance(600_000);
    expect(await provider.getAccessToken()).toBe('access-2');
    expect(source.calls).toBe(3);
  });
});

describe('a token that is expired on arrival', () => {
  it('is a failure retried with backoff, not a request per call, and its refresh token is kept', async () => {
    const clock = manualClock();
    let calls = 0;
    const store = new MemoryStore();
    const provider = createTokenProvider({
      key: 'k',
      clock,
      store,
      random: () => 0,
      requestToken: async () => {
        calls += 1;
        return { accessToken: 'dead', tokenType: 'bearer', expiresAt: clock.now(), refreshToken: 'rotated', raw: {} };
      },
    });
    const errors = await Promise.all(Array.from({ length: 20 }, () => rejection(provider.getToken())));
    for (let i = 0; i < 20; i++) await rejection(provider.getToken());
    expect(calls).toBe(1);
    expect(errors[0]!.code).toBe('invalid_response');
    expect(errors[0]!.message).toContain('already expired');
    expect((await store.get('k'))?.token.refreshToken).toBe('rotated');
  });
});

describe('the initial user token (from exchangeCode)', () => {
  const user = (clock: { now(): number }, n: number) => ({
    accessToken: `a${n}`,
    tokenType: 'bearer',
    expiresAt: clock.now() + 2 * HOUR,
    refreshToken: `r${n}`,
    raw: {},
  });

  it('is never republished over a newer token after the store loses the record', async () => {
    const clock = manualClock();
    const store = new MemoryStore();
    await store.compareAndSet('u', 0, user(clock, 5), clock.now()); // another process got further already
    const provider = createTokenProvider({ key: 'u', clock, store, initial: user(clock, 0), refresh: async () => user(clock, 6) });
    expect(await provider.getAccessToken()).toBe('a5');
    // The store forgets the key (FLUSHALL, eviction, a restart without persistence).
    const flushed = new MemoryStore();
    (store as unknown as { get: TokenStore['get'] }).get = (key) => flushed.get(key);
    (store as unknown as { compareAndSet: TokenStore['compareAndSet'] }).compareAndSet = (...args) => flushed.compareAndSet(...args);
    clock.advance(61_000);
    await provider.getAccessToken();
    await settle();
    expect((await flushed.get('u'))?.token.refreshToken).toBe('r5');
  });

  it('kept through a store outage at start, does not overwrite a newer token the store turns out to hold', async () => {
    const clock = manualClock();
    const inner = new MemoryStore();
    await inner.compareAndSet('u', 0, user(clock, 5), clock.now() - 60_000);
    let up = false;
    const guard = <T>(run: () => Promise<T>) => (up ? run() : Promise.reject(new Error('connect ECONNREFUSED')));
    const store: TokenStore = {
      shared: true,
      get: (key) => guard(() => inner.get(key)),
      compareAndSet: (...args) => guard(() => inner.compareAndSet(...args)),
      acquireLease: (...args) => guard(() => inner.acquireLease(...args)),
      waitForUpdate: (...args) => guard(() => inner.waitForUpdate(...args)),
    };
    const provider = createTokenProvider({ key: 'u', clock, store, initial: user(clock, 0), refresh: async () => user(clock, 6) });
    expect(await provider.getAccessToken()).toBe('a0');
    up = true;
    clock.advance(5_000);
    await provider.getAccessToken();
    await settle();
    expect((await inner.get('u'))?.token.refreshToken).toBe('r5');
    expect(await provider.getAccessToken()).toBe('a5');
  });
});
