import { withDeadline } from './deadline.js';
import { MemoryStore } from './memory-store.js';
import type { Lease, TokenStore } from './token-store.js';

/**
 * A store whose every call answers within a bound: a store that hangs (a Redis that accepts connections and
 * never replies, a custom store awaiting a dead socket) must not hang the provider. A call that takes longer
 * fails like a store outage — the provider goes on with its own copy and single flight — while the late answer
 * is dropped. `waitForUpdate` gets its own timeout plus the bound. The `MemoryStore` answers at once and is
 * used as it is.
 */
export function boundedStore(store: TokenStore, timeoutMs: number): TokenStore {
  if (store instanceof MemoryStore) return store;
  const bounded: TokenStore = {
    shared: store.shared,
    get: (key) => withinBound(store.get(key), timeoutMs, 'get'),
    compareAndSet: (...args) => withinBound(store.compareAndSet(...args), timeoutMs, 'compareAndSet'),
    acquireLease: async (key, ttlMs) => {
      const lease = await withinBound(store.acquireLease(key, ttlMs), timeoutMs, 'acquireLease');
      return lease && boundedLease(lease, timeoutMs);
    },
    waitForUpdate: (key, version, waitMs, signal) =>
      withinBound(store.waitForUpdate(key, version, waitMs, signal), waitMs + timeoutMs, 'waitForUpdate'),
  };
  if (store.increment) {
    const increment = store.increment.bind(store);
    bounded.increment = (counterKey, ttlMs) => withinBound(increment(counterKey, ttlMs), timeoutMs, 'increment');
  }
  return bounded;
}

/** `release()` never throws, by contract; bounded, it cannot hang the refresh that holds it either. */
function boundedLease(lease: Lease, timeoutMs: number): Lease {
  return { release: () => withinBound(lease.release(), timeoutMs, 'release').catch(() => {}) };
}

/** `call`, or a rejection naming the method once `ms` real milliseconds have passed. */
function withinBound<T>(call: Promise<T>, ms: number, method: string): Promise<T> {
  return withDeadline(call, { ms, timeout: () => new Error(`the token store's ${method}() did not answer within ${ms} ms`) });
}
