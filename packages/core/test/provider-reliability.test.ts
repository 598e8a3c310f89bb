/**
 * Issue 12's provider defects, each reproduced: invalidate() racing a refresh, a record the store reports absent
 * but will not replace, a hung store, close() racing a late token call, a token call that never settles, and an
 * unbounded Retry-After. Plus the caller's AbortSignal and the `closed` code.
 */
import { describe, expect, it } from 'vitest';
import {
  createTokenProvider,
  MemoryStore,
  TokenError,
  type TokenProviderEvent,
  type TokenSet,
  type TokenStore,
} from '../src/index.js';
import { DEFAULT_REFRESH_POLICY, retryDelay } from '../src/refresh-policy.js';
import { countingSource, failOnUnhandledRejections, manualClock, rejection, settle } from './helpers.js';

failOnUnhandledRejections();

const HOUR = 3_600_000;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves 'stalled' when `work` has not settled once every pending callback has run. */
const stalled = <T>(work: Promise<T>) => Promise.race([work, settle().then(() => 'stalled' as const)]);

/** A vendor with rotating refresh tokens whose refresh waits until the test lets it answer. */
function gatedVendor(clock: { now(): number }) {
  let generation = 0;
  const live = new Set(['r0']);
  const vendor = {
    gate: undefined as ReturnType<typeof deferred<void>> | undefined,
    refreshCalls: 0,
    spentUses: 0,
    async refresh(refreshToken: string): Promise<TokenSet> {
      vendor.refreshCalls += 1;
      await vendor.gate?.promise;
      if (!live.delete(refreshToken)) {
        vendor.spentUses += 1;
        throw new TokenError({ code: 'invalid_grant', vendor: 'test', message: 'refresh token spent' });
      }
      generation += 1;
      live.add(`r${generation}`);
      return { accessToken: `a${generation}`, tokenType: 'bearer', expiresAt: clock.now() + 2 * HOUR, refreshToken: `r${generation}`, raw: {} };
    },
  };
  return vendor;
}

const initialAt = (clock: { now(): number }): TokenSet => ({
  accessToken: 'a0',
  tokenType: 'bearer',
  expiresAt: clock.now() + 2 * HOUR,
  refreshToken: 'r0',
  raw: {},
});

describe('invalidate() during a refresh (issue 12.1)', () => {
  it('defers to this process’s refresh: the rotated refresh token is kept and callers get the new token', async () => {
    const clock = manualClock();
    const vendor = gatedVendor(clock);
    const store = new MemoryStore();
    const provider = createTokenProvider({ key: 'u', clock, store, initial: initialAt(clock), refresh: vendor.refresh });
    await provider.getToken();
    clock.advance(2 * HOUR);
    vendor.gate = deferred();
    const waiting = provider.getAccessToken();
    await settle();
    const invalidating = provider.invalidate('a0');
    await settle();
    vendor.gate.resolve();
    expect(await waiting).toBe('a1');
    await invalidating;
    expect((await store.get('u'))?.token).toMatchObject({ accessToken: 'a1', refreshToken: 'r1' });
    vendor.gate = undefined;
    clock.advance(2 * HOUR);
    expect(await provider.getAccessToken()).toBe('a2');
    expect(vendor.spentUses).toBe(0);
  });

  it('defers to another lease holder’s refresh on a shared store', async () => {
    const clock = manualClock();
    const vendor = gatedVendor(clock);
    const store = new MemoryStore();
    const a = createTokenProvider({ key: 'u', clock, store, initial: initialAt(clock), refresh: vendor.refresh });
    const b = createTokenProvider({ key: 'u', clock, store, refresh: vendor.refresh });
    await Promise.all([a.getToken(), b.getToken()]);
    clock.advance(2 * HOUR);
    vendor.gate = deferred();
    const waiting = a.getAccessToken();
    await settle();
    const invalidating = b.invalidate('a0');
    await settle();
    vendor.gate.resolve();
    expect(await waiting).toBe('a1');
    await invalidating;
    expect(await b.getAccessToken()).toBe('a1');
    expect(vendor.refreshCalls).toBe(1);
    expect((await store.get('u'))?.token.refreshToken).toBe('r1');
  });
});

describe('invalidate() whose refresh fails', () => {
  it('never serves the token the 401 was for again, even though the store still holds it', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken });
    expect(await provider.getAccessToken()).toBe('access-1');
    source.failWith = new TokenError({ code: 'server_error', vendor: 'test', message: 'HTTP 503' });
    // The forced refresh re-reads the store, which still holds access-1: it must stay off the fast path.
    await provider.invalidate('access-1');
    expect((await rejection(provider.getToken())).code).toBe('server_error');
    source.failWith = undefined;
    clock.advance(60_000);
    expect(await provider.getAccessToken()).toBe('access-2');
  });
});

describe('a record the store reports absent but refuses to replace (issue 12.2)', () => {
  it('is reported as corrupt, costs a bounded number of store calls, and the provider keeps working', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    let calls = 0;
    const count = <T>(value: T) => {
      calls += 1;
      // A runaway loop would starve the event loop; stop it so the test fails instead of hanging.
      if (calls > 200) throw new Error('runaway');
      return Promise.resolve(value);
    };
    const store: TokenStore = {
      shared: true,
      get: () => count(undefined),
      compareAndSet: () => count(undefined),
      acquireLease: () => count({ release: async () => {} }),
      waitForUpdate: () => count(undefined),
    };
    const events: TokenProviderEvent[] = [];
    const provider = createTokenProvider({ key: 'k', clock, store, requestToken: source.requestToken, onEvent: (e) => events.push(e) });
    expect(await provider.getAccessToken()).toBe('access-1');
    for (let i = 0; i < 5; i++) {
      clock.advance(5_000);
      expect(await provider.getAccessToken()).toBe('access-1');
      await settle();
    }
    // Per re-check: one get, one refused compare-and-set, one get to see who won.
    expect(calls).toBeLessThanOrEqual(25);
    expect(events.filter((e) => e.type === 'store_corrupt')).toHaveLength(1);
    expect(events.some((e) => e.type === 'store_unavailable')).toBe(false);
    clock.advance(3 * HOUR);
    expect(await provider.getAccessToken()).toBe('access-2');
  });
});

describe('a hung store (issue 12.4)', () => {
  it('does not stall a caller that holds a valid token: re-validation runs in the background', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const inner = new MemoryStore();
    let hung = false;
    const never = new Promise<never>(() => {});
    const store: TokenStore = {
      shared: true,
      get: (key) => (hung ? never : inner.get(key)),
      compareAndSet: (...args) => (hung ? never : inner.compareAndSet(...args)),
      acquireLease: (...args) => (hung ? never : inner.acquireLease(...args)),
      waitForUpdate: (...args) => (hung ? never : inner.waitForUpdate(...args)),
    };
    const provider = createTokenProvider({ key: 'k', clock, store, requestToken: source.requestToken });
    await provider.getToken();
    hung = true;
    for (let i = 0; i < 3; i++) {
      clock.advance(61_000); // past revalidateMs: each call would re-read the store
      expect(await stalled(provider.getAccessToken())).toBe('access-1');
    }
    await provider.close();
  });
});

describe('close() (issues 12.5 and 12.7)', () => {
  it('keeps a token call that settles after close() away from the local copy and the store', async () => {
    const clock = manualClock();
    const store = new MemoryStore();
    const gate = deferred<void>();
    const provider = createTokenProvider({
      key: 'k',
      clock,
      store,
      requestToken: async () => {
        await gate.promise;
        return { accessToken: 'late', tokenType: 'bearer', expiresAt: clock.now() + HOUR, raw: {} };
      },
    });
    const pending = rejection(provider.getToken());
    await settle();
    const closing = provider.close();
    gate.resolve();
    await closing;
    await settle();
    expect((await pending).code).toBe('closed');
    expect(await store.get('k')).toBeUndefined();
    expect((await rejection(provider.getAccessToken())).code).toBe('closed');
  });

  it('returns at once, and releases its callers, even when the token call ignores its signal and never settles', async () => {
    const clock = manualClock();
    const provider = createTokenProvider({ key: 'k', clock, requestToken: () => new Promise<TokenSet>(() => {}) });
    const pending = provider.getToken();
    await settle();
    expect(await stalled(provider.close())).toBeUndefined();
    expect((await rejection(pending)).code).toBe('closed');
  });

  it('fails later calls with code closed, not invalid_configuration', async () => {
    const provider = createTokenProvider({ key: 'k', requestToken: countingSource(manualClock()).requestToken });
    await provider.close();
    const error = await rejection(provider.getToken());
    expect(error.code).toBe('closed');
    expect(error.message).toContain('closed');
    expect((await rejection(provider.invalidate())).code).toBe('closed');
  });
});

describe('a lease holder whose token call never settles (issue 12.7)', () => {
  it('gives up before its lease can expire, so no other process takes over while it still works', async () => {
    const inner = new MemoryStore();
    const leaseMs = 200;
    const log: { acquiredAt?: number; releasedAt?: number } = {};
    const store: TokenStore = {
      shared: true,
      get: (key) => inner.get(key),
      compareAndSet: (...args) => inner.compareAndSet(...args),
      waitForUpdate: (...args) => inner.waitForUpdate(...args),
      acquireLease: async (key, ttl) => {
        const lease = await inner.acquireLease(key, ttl);
        log.acquiredAt = performance.now();
        return lease && { release: () => ((log.releasedAt = performance.now()), lease.release()) };
      },
    };
    // Real timers: the lease's own expiry is the bound under test. 200 ms keeps the test short.
    const provider = createTokenProvider({ key: 'k', store, leaseMs, requestToken: () => new Promise<TokenSet>(() => {}) });
    const error = await rejection(provider.getToken());
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(log.releasedAt! - log.acquiredAt!).toBeLessThan(leaseMs);
    expect(await inner.acquireLease('k', 1_000)).toBeDefined();
    await provider.close();
  });
});

describe('Retry-After (issue 12.9)', () => {
  it('is clamped to 5 minutes (or backoffMaxMs when longer)', () => {
    const year = 365 * 24 * HOUR;
    expect(retryDelay(1, DEFAULT_REFRESH_POLICY, () => 0, year)).toBe(5 * 60_000);
    expect(retryDelay(1, { ...DEFAULT_REFRESH_POLICY, backoffMaxMs: 10 * 60_000 }, () => 0, year)).toBe(10 * 60_000);
    expect(retryDelay(1, DEFAULT_REFRESH_POLICY, () => 0, 30_000)).toBe(30_000);
  });

  it('cannot wedge a provider: a 429 asking for a year is retried after 5 minutes', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    source.failWith = new TokenError({ code: 'rate_limited', vendor: 'test', message: 'HTTP 429', retryAfterMs: 365 * 24 * HOUR });
    const provider = createTokenProvider({ key: 'k', clock, random: () => 0, requestToken: source.requestToken });
    expect((await rejection(provider.getToken())).code).toBe('rate_limited');
    source.failWith = undefined;
    clock.advance(5 * 60_000 - 1);
    expect((await rejection(provider.getToken())).code).toBe('rate_limited');
    clock.advance(1);
    expect(await provider.getAccessToken()).toBe('access-1');
  });
});

describe('getToken({ signal })', () => {
  it('abandons this caller’s wait with code aborted, without cancelling the shared refresh', async () => {
    const clock = manualClock();
    const gate = deferred<void>();
    const source = countingSource(clock);
    const provider = createTokenProvider({
      key: 'k',
      clock,
      requestToken: async (signal) => {
        await gate.promise;
        expect(signal.aborted).toBe(false);
        return source.requestToken();
      },
    });
    const controller = new AbortController();
    const mine = provider.getAccessToken({ signal: controller.signal });
    const theirs = provider.getToken();
    await settle();
    controller.abort();
    const error = await rejection(mine);
    expect(error.code).toBe('aborted');
    expect(error.retryable).toBe(false);
    gate.resolve();
    expect((await theirs).accessToken).toBe('access-1');
    expect(source.calls).toBe(1);
    // An already aborted signal fails even a cache hit, as fetch does; a live one is served from the cache.
    expect((await rejection(provider.getToken({ signal: controller.signal }))).code).toBe('aborted');
    expect(await provider.getAccessToken({ signal: new AbortController().signal })).toBe('access-1');
  });
});
