import { describe, expect, it } from 'vitest';
import { createTokenProvider, MemoryStore, type TokenProviderEvent, type TokenStore } from '../src/index.js';
import { countingSource, manualClock } from './helpers.js';

/** A memory store that can be switched off, as a Redis server can be stopped. */
function switchableStore() {
  let inner = new MemoryStore();
  let up = true;
  const guard = <T>(run: () => Promise<T>) => (up ? run() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')));
  const store: TokenStore & { up: boolean; inner: MemoryStore; flush(): void } = {
    shared: true,
    get inner() {
      return inner;
    },
    /** Forgets every key, as FLUSHALL or a restart without persistence would. */
    flush() {
      inner = new MemoryStore();
    },
    get up() {
      return up;
    },
    set up(value) {
      up = value;
    },
    get: (key) => guard(() => inner.get(key)),
    compareAndSet: (...args) => guard(() => inner.compareAndSet(...args)),
    acquireLease: (...args) => guard(() => inner.acquireLease(...args)),
    waitForUpdate: (...args) => guard(() => inner.waitForUpdate(...args)),
  };
  return store;
}

describe('store outage', () => {
  it('keeps serving from its own single flight, says so, and publishes its token when the store is back', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const store = switchableStore();
    const events: TokenProviderEvent['type'][] = [];
    const provider = createTokenProvider({ key: 'k', clock, store, requestToken: source.requestToken, onEvent: (e) => events.push(e.type) });

    store.up = false;
    const tokens = await Promise.all(Array.from({ length: 100 }, () => provider.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['access-1']));
    expect(source.calls).toBe(1);
    expect(events).toContain('store_unavailable');

    store.up = true;
    clock.advance(5_000);
    expect(await provider.getAccessToken()).toBe('access-1');
    expect(events).toContain('store_recovered');
    expect((await store.inner.get('k'))?.token.accessToken).toBe('access-1');
    expect(source.calls).toBe(1);
  });

  it('does not lose an initial user token to a store that is down at start', async () => {
    const clock = manualClock();
    const store = switchableStore();
    store.up = false;
    const initial = { accessToken: 'a0', tokenType: 'bearer', expiresAt: clock.now() + 3_600_000, refreshToken: 'r0', raw: {} };
    const provider = createTokenProvider({ key: 'u', clock, store, initial, refresh: async () => { throw new Error('unused'); } });
    expect(await provider.getAccessToken()).toBe('a0');
    store.up = true;
    clock.advance(5_000);
    await provider.getToken();
    expect((await store.inner.get('u'))?.token.refreshToken).toBe('r0');
  });
});

describe('a shared store that misbehaves', () => {
  it('republishes its token when the store loses the key, and serves the new token after expiry', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const store = switchableStore();
    const provider = createTokenProvider({ key: 'k', clock, store, requestToken: source.requestToken });
    expect(await provider.getAccessToken()).toBe('access-1');
    store.flush();
    clock.advance(3 * 3_600_000);
    expect(await provider.getAccessToken()).toBe('access-2');
    expect((await store.inner.get('k'))?.token.accessToken).toBe('access-2');
  });

  it('goes on alone when waiting for another holder fails', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const store = switchableStore();
    const events: string[] = [];
    // Another process holds the lease, and the store fails while we wait for it.
    await store.inner.acquireLease('k', 60_000);
    store.waitForUpdate = () => Promise.reject(new Error('connection lost'));
    const provider = createTokenProvider({ key: 'k', clock, store, requestToken: source.requestToken, onEvent: (e) => events.push(e.type) });
    expect(await provider.getAccessToken()).toBe('access-1');
    expect(events).toContain('store_unavailable');
  });
});
