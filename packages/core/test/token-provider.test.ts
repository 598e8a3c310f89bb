import { describe, expect, it } from 'vitest';
import { createTokenProvider, MemoryStore, TokenError, type TokenProviderEvent, type TokenSet, type TokenStore } from '../src/index.js';
import { countingSource, failOnUnhandledRejections, manualClock, rejection, serverError, settle } from './helpers.js';

failOnUnhandledRejections();

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('cache and single flight', () => {
  it('answers 1,000 concurrent callers on a cold provider with exactly one upstream request', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken });

    const tokens = await Promise.all(Array.from({ length: 1000 }, () => provider.getAccessToken()));

    expect(source.calls).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['access-1']));
    clock.advance(HOUR);
    await Promise.all(Array.from({ length: 100 }, () => provider.getToken()));
    expect(source.calls).toBe(1);
    await provider.close();
  });

  it('shares one request between two providers on one memory store', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const store = new MemoryStore();
    const a = createTokenProvider({ key: 'k', clock, store, requestToken: source.requestToken });
    const b = createTokenProvider({ key: 'k', clock, store, requestToken: source.requestToken });
    const [ta, tb] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    expect(ta).toBe(tb);
    expect(source.calls).toBe(1);
  });
});

describe('refresh ahead', () => {
  it('serves the current token at once inside the window and refreshes exactly once in the background', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const events: TokenProviderEvent[] = [];
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken, onEvent: (e) => events.push(e) });
    await provider.getToken();

    clock.advance(2 * HOUR - 2 * MINUTE); // inside the 3-minute window
    const during = await Promise.all(Array.from({ length: 50 }, () => provider.getAccessToken()));
    expect(new Set(during)).toEqual(new Set(['access-1']));
    await settle();
    expect(source.calls).toBe(2);
    expect(await provider.getAccessToken()).toBe('access-2');
    expect(events.filter((e) => e.type === 'token_refreshed').map((e) => (e as { background: boolean }).background)).toEqual([false, true]);
  });

  it('keeps serving the valid token while background refreshes fail, retrying with jittered backoff', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const failures: TokenProviderEvent[] = [];
    const provider = createTokenProvider({
      key: 'k',
      clock,
      random: () => 0.5,
      requestToken: source.requestToken,
      onEvent: (e) => e.type === 'refresh_failed' && failures.push(e),
    });
    await provider.getToken();
    source.failWith = serverError();

    clock.advance(2 * HOUR - 3 * MINUTE + 1);
    expect(await provider.getAccessToken()).toBe('access-1');
    await settle();
    expect(source.calls).toBe(2);

    // First retry waits 0.5 s + 0.5 × 0.5 s = 750 ms with random() = 0.5; calls before that send nothing.
    clock.advance(700);
    expect(await provider.getAccessToken()).toBe('access-1');
    await settle();
    expect(source.calls).toBe(2);
    clock.advance(100);
    expect(await provider.getAccessToken()).toBe('access-1');
    await settle();
    expect(source.calls).toBe(3);
    // Second retry: the delay doubles (1 s + 0.5 × 1 s).
    clock.advance(1400);
    await provider.getToken();
    await settle();
    expect(source.calls).toBe(3);
    clock.advance(200);
    await provider.getToken();
    await settle();
    expect(source.calls).toBe(4);
    expect(failures).toHaveLength(3);
    expect(failures.every((e) => e.type === 'refresh_failed' && e.background)).toBe(true);

    // Once the token is past its usable life the caller sees the vendor's error.
    clock.advance(3 * MINUTE);
    const error = await rejection(provider.getToken());
    expect(error.code).toBe('server_error');
    expect(error.retryable).toBe(true);
  });

  it('emits refresh_failed only once the provider is ready for the next attempt', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    let reacted = false;
    const provider = createTokenProvider({
      key: 'k',
      clock,
      backoffInitialMs: 0,
      requestToken: source.requestToken,
      // A listener that asks again at once must start a new attempt, not find the failed one still in flight.
      onEvent: (e) => {
        if (e.type !== 'refresh_failed' || reacted) return;
        reacted = true;
        void provider.getToken();
      },
    });
    await provider.getToken();
    source.failWith = serverError();
    clock.advance(2 * HOUR - 2 * MINUTE);
    await provider.getToken();
    await settle();
    expect(reacted).toBe(true);
    expect(source.calls).toBe(3);
  });

  it('spreads retries with jitter: different random draws give different delays', async () => {
    const { retryDelay, DEFAULT_REFRESH_POLICY } = await import('../src/refresh-policy.js');
    const low = retryDelay(3, DEFAULT_REFRESH_POLICY, () => 0);
    const high = retryDelay(3, DEFAULT_REFRESH_POLICY, () => 0.999);
    expect(low).toBe(2000);
    expect(high).toBeGreaterThan(3990);
    expect(retryDelay(30, DEFAULT_REFRESH_POLICY, () => 1)).toBe(60_000);
    expect(retryDelay(1, DEFAULT_REFRESH_POLICY, () => 0, 30_000)).toBe(30_000);
  });

  it('never lets the window exceed a quarter of a short token lifetime', async () => {
    const clock = manualClock();
    const source = countingSource(clock, 60_000);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken });
    await provider.getToken();
    clock.advance(44_000); // 15 s (a quarter) before expiry: still fresh
    await provider.getToken();
    await settle();
    expect(source.calls).toBe(1);
    clock.advance(2_000);
    await provider.getToken();
    await settle();
    expect(source.calls).toBe(2);
  });

  it('sends at most 13 token requests over 24 simulated hours of 2-hour tokens', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken });
    for (let elapsed = 0; elapsed <= 24 * HOUR; elapsed += 10_000) {
      const token = await provider.getToken();
      expect(token.expiresAt).toBeGreaterThan(clock.now());
      await settle();
      clock.advance(10_000);
    }
    expect(source.calls).toBeLessThanOrEqual(13);
    expect(source.calls).toBeGreaterThanOrEqual(12);
  });
});

describe('failures before any token', () => {
  it('gives every waiting caller the error, then backs off instead of hammering the vendor', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    source.failWith = serverError();
    const provider = createTokenProvider({ key: 'k', clock, random: () => 0, requestToken: source.requestToken });
    const errors = await Promise.all(Array.from({ length: 10 }, () => rejection(provider.getToken())));
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['server_error']));
    expect(source.calls).toBe(1);
    await rejection(provider.getToken());
    expect(source.calls).toBe(1);
    clock.advance(500);
    source.failWith = undefined;
    expect(await provider.getAccessToken()).toBe('access-1');
    expect(source.calls).toBe(2);
  });

  it('wraps a non-TokenError from a custom source', async () => {
    const provider = createTokenProvider({ key: 'k', requestToken: async () => { throw new RangeError('boom'); } });
    const error = await rejection(provider.getToken());
    expect(error.code).toBe('invalid_response');
    expect(error.cause).toBeInstanceOf(RangeError);
  });
});

describe('refresh tokens', () => {
  function rotatingVendor(clock: { now(): number }) {
    let generation = 0;
    const live = new Set<string>(['refresh-0']);
    const vendor = {
      spentUses: 0,
      refreshCalls: 0,
      credentialCalls: 0,
      async refresh(refreshToken: string): Promise<TokenSet> {
        vendor.refreshCalls += 1;
        if (!live.delete(refreshToken)) {
          vendor.spentUses += 1;
          throw new TokenError({ code: 'invalid_grant', vendor: 'test', message: 'refresh token spent' });
        }
        generation += 1;
        live.add(`refresh-${generation}`);
        return { accessToken: `access-r${generation}`, tokenType: 'bearer', expiresAt: clock.now() + 2 * HOUR, refreshToken: `refresh-${generation}`, raw: {} };
      },
      async requestToken(): Promise<TokenSet> {
        vendor.credentialCalls += 1;
        generation += 1;
        live.add(`refresh-${generation}`);
        return { accessToken: `access-c${generation}`, tokenType: 'bearer', expiresAt: clock.now() + 2 * HOUR, refreshToken: `refresh-${generation}`, raw: {} };
      },
      kill(token: string) {
        live.delete(token);
      },
    };
    return vendor;
  }

  it('commits a rotated refresh token to the store before handing out the new access token', async () => {
    const clock = manualClock();
    const vendor = rotatingVendor(clock);
    const store = new MemoryStore();
    const writes: string[] = [];
    const recording: TokenStore = {
      shared: false,
      get: (key) => store.get(key),
      acquireLease: (key, ttl) => store.acquireLease(key, ttl),
      waitForUpdate: (...args) => store.waitForUpdate(...args),
      compareAndSet: async (...args) => {
        writes.push(args[2].refreshToken ?? '');
        return store.compareAndSet(...args);
      },
    };
    const initial = { accessToken: 'access-0', tokenType: 'bearer', expiresAt: clock.now() + 2 * HOUR, refreshToken: 'refresh-0', raw: {} };
    const provider = createTokenProvider({ key: 'u', clock, store: recording, initial, refresh: vendor.refresh });
    expect(await provider.getAccessToken()).toBe('access-0');

    clock.advance(2 * HOUR);
    const token = await provider.getToken();
    expect(token.accessToken).toBe('access-r1');
    expect(writes).toEqual(['refresh-0', 'refresh-1']);
    expect((await store.get('u'))?.token.refreshToken).toBe('refresh-1');
  });

  it('never sends a spent refresh token through a simulated day of refreshes', async () => {
    const clock = manualClock();
    const vendor = rotatingVendor(clock);
    const initial = { accessToken: 'access-0', tokenType: 'bearer', expiresAt: clock.now() + 2 * HOUR, refreshToken: 'refresh-0', raw: {} };
    const store = new MemoryStore();
    // Three providers for one user share a store, as three services in one process would.
    const providers = [0, 1, 2].map(() => createTokenProvider({ key: 'u', clock, store, initial, refresh: vendor.refresh }));
    for (let elapsed = 0; elapsed <= 24 * HOUR; elapsed += 30_000) {
      await Promise.all(providers.flatMap((p) => [p.getToken(), p.getToken()]));
      await settle();
      clock.advance(30_000);
    }
    expect(vendor.spentUses).toBe(0);
    expect(vendor.refreshCalls).toBeGreaterThanOrEqual(12);
    expect(vendor.refreshCalls).toBeLessThanOrEqual(13);
  });

  it('keeps the old refresh token and its expiry when a refresh returns none', async () => {
    const clock = manualClock();
    const initial = { accessToken: 'a0', tokenType: 'bearer', expiresAt: clock.now() + HOUR, refreshToken: 'keep-me', refreshExpiresAt: clock.now() + 30 * 24 * HOUR, raw: {} };
    const provider = createTokenProvider({
      key: 'u',
      clock,
      initial,
      refresh: async () => ({ accessToken: 'a1', tokenType: 'bearer', expiresAt: clock.now() + HOUR, raw: {} }),
    });
    await provider.getToken();
    clock.advance(HOUR);
    const token = await provider.getToken();
    expect(token).toMatchObject({ accessToken: 'a1', refreshToken: 'keep-me', refreshExpiresAt: initial.refreshExpiresAt });
  });

  it('falls back to client credentials when the refresh token is rejected', async () => {
    const clock = manualClock();
    const vendor = rotatingVendor(clock);
    vendor.kill('refresh-0');
    const initial = { accessToken: 'access-0', tokenType: 'bearer', expiresAt: clock.now() + 2 * HOUR, refreshToken: 'refresh-0', raw: {} };
    const provider = createTokenProvider({ key: 'k', clock, initial, refresh: vendor.refresh, requestToken: vendor.requestToken });
    await provider.getToken();
    clock.advance(2 * HOUR);
    expect(await provider.getAccessToken()).toBe('access-c1');
    expect(vendor.credentialCalls).toBe(1);
  });

  it('asks for re-authorisation when a user refresh token is rejected, and never sends it again', async () => {
    const clock = manualClock();
    const vendor = rotatingVendor(clock);
    vendor.kill('refresh-0');
    const initial = { accessToken: 'access-0', tokenType: 'bearer', expiresAt: clock.now() + 2 * HOUR, refreshToken: 'refresh-0', raw: {} };
    const provider = createTokenProvider({ key: 'u', clock, initial, refresh: vendor.refresh });
    await provider.getToken();
    clock.advance(2 * HOUR);
    const error = await rejection(provider.getToken());
    expect(error.code).toBe('reauthorization_required');
    expect((error.cause as TokenError).code).toBe('invalid_grant');
    clock.advance(HOUR);
    expect((await rejection(provider.getToken())).code).toBe('reauthorization_required');
    expect(vendor.refreshCalls).toBe(1);
  });

  it('skips a refresh token past its refreshExpiresAt', async () => {
    const clock = manualClock();
    const vendor = rotatingVendor(clock);
    const initial = { accessToken: 'a', tokenType: 'bearer', expiresAt: clock.now() + HOUR, refreshToken: 'refresh-0', refreshExpiresAt: clock.now() + HOUR, raw: {} };
    const provider = createTokenProvider({ key: 'u', clock, initial, refresh: vendor.refresh });
    await provider.getToken();
    clock.advance(HOUR);
    expect((await rejection(provider.getToken())).code).toBe('reauthorization_required');
    expect(vendor.refreshCalls).toBe(0);
  });
});

describe('invalidate', () => {
  it('drops the token only while it is still the current one, and rate-limits forced refreshes', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken });
    const first = await provider.getAccessToken();

    await provider.invalidate(first);
    const second = await provider.getAccessToken();
    expect(second).not.toBe(first);
    expect(source.calls).toBe(2);

    // A late 401 for the first token must not throw away the second.
    await provider.invalidate(first);
    expect(await provider.getAccessToken()).toBe(second);
    expect(source.calls).toBe(2);

    // A second forced refresh within 30 s is ignored…
    clock.advance(10_000);
    await provider.invalidate(second);
    expect(await provider.getAccessToken()).toBe(second);
    // …and allowed once the interval has passed.
    clock.advance(20_000);
    await provider.invalidate(second);
    expect(await provider.getAccessToken()).not.toBe(second);
    expect(source.calls).toBe(3);
  });

  it('keeps the refresh token when the access token is invalidated', async () => {
    const clock = manualClock();
    const used: string[] = [];
    const initial = { accessToken: 'a0', tokenType: 'bearer', expiresAt: clock.now() + HOUR, refreshToken: 'r0', raw: {} };
    const provider = createTokenProvider({
      key: 'u',
      clock,
      initial,
      refresh: async (rt) => {
        used.push(rt);
        return { accessToken: 'a1', tokenType: 'bearer', expiresAt: clock.now() + HOUR, refreshToken: 'r1', raw: {} };
      },
    });
    await provider.invalidate('a0');
    expect(await provider.getAccessToken()).toBe('a1');
    expect(used).toEqual(['r0']);
  });
});

describe('close', () => {
  it('stops all work, leaves no handle behind, and refuses further calls', async () => {
    const before = new Set(process.getActiveResourcesInfo());
    const clock = manualClock();
    const provider = createTokenProvider({
      key: 'k',
      clock,
      requestToken: (signal) =>
        new Promise<TokenSet>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const pending = provider.getToken();
    await settle();
    await provider.close();
    await provider.close();
    expect((await rejection(pending)).message).toContain('closed');
    expect((await rejection(provider.getToken())).message).toContain('closed');
    await settle();
    const leaked = process.getActiveResourcesInfo().filter((resource) => !before.has(resource) && resource !== 'Immediate');
    expect(leaked).toEqual([]);
  });

  it('shows no token through inspect, JSON or String', async () => {
    const { inspect } = await import('node:util');
    const clock = manualClock();
    const provider = createTokenProvider({ key: 'dushu:app', clock, requestToken: countingSource(clock).requestToken });
    await provider.getToken();
    for (const shown of [inspect(provider, { depth: 9, showHidden: true }), JSON.stringify(provider), String(provider)]) {
      expect(shown).not.toContain('access-1');
      expect(shown).toContain('dushu:app');
    }
  });
});
