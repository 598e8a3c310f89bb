/**
 * Where tokens are kept: the store contract every store implements, the default in-memory store, and the bound
 * the provider puts on every call of any other store.
 */
import { systemClock, type Clock, type TokenSet } from './contract.js';
import { withDeadline } from './deadline.js';

/** A token as a store keeps it: the token set plus what compare-and-set and the refresh policy need. */
export interface StoredToken<Raw = unknown> {
  /** The token set. */
  token: TokenSet<Raw>;
  /** Grows by one on every write under this key; compare-and-set checks it. */
  version: number;
  /** When the token was obtained, epoch ms on the clock of the process that obtained it. */
  obtainedAt: number;
}

/** A fleet-wide right to refresh one key, held by exactly one process at a time. */
export interface Lease {
  /** Gives the lease back, if (and only if) it is still ours. Never throws. */
  release(): Promise<void>;
}

/**
 * Where providers keep tokens. {@link MemoryStore} is the default; `@token-clients/redis-store` shares tokens
 * across processes. Every method touches one key.
 */
export interface TokenStore {
  /** Whether other processes share this store (a process-local copy must then be re-validated). */
  readonly shared: boolean;
  /** The token stored under `key`, if any. */
  get(key: string): Promise<StoredToken | undefined>;
  /**
   * Writes `token` under `key` if the stored version is still `expectedVersion` (0: nothing stored), with
   * version `expectedVersion + 1`. Returns what was written, or `undefined` when another writer came first —
   * so a rotated refresh token is never overwritten by an older one.
   */
  compareAndSet(key: string, expectedVersion: number, token: TokenSet, obtainedAt: number): Promise<StoredToken | undefined>;
  /**
   * Takes the refresh lease for `key` for `ttlMs`, or returns `undefined` when another holder has it.
   * The lease expires by itself, so a holder that dies cannot block the fleet for longer than `ttlMs`.
   */
  acquireLease(key: string, ttlMs: number): Promise<Lease | undefined>;
  /**
   * Resolves when the version under `key` differs from `version`, when the lease holder gave up, or after
   * `timeoutMs` — whichever comes first. Never rejects on timeout.
   */
  waitForUpdate(key: string, version: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * Adds one to the counter `counterKey` and returns the new count; the counter disappears by itself `ttlMs`
   * after it was created (the daily quota: one counter per credential and day). Optional: a provider whose
   * store lacks it counts in its own process only.
   */
  increment?(counterKey: string, ttlMs: number): Promise<number>;
}

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** The clock counters expire on; injectable so tests never sleep. Default: the machine's clock. */
  clock?: Clock;
}

/**
 * The default {@link TokenStore}: tokens in this process's memory. Zero set-up; shared by every provider in
 * the process that is given the same instance. Leases are in-process too, so two providers for one key
 * still make one request, and so are quota counters: providers given the same instance share a daily budget.
 */
export class MemoryStore implements TokenStore {
  /** A memory store is never shared with other processes. */
  readonly shared = false;
  readonly #entries = new Map<string, StoredToken>();
  readonly #leases = new Map<string, symbol>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #counters = new Map<string, { count: number; expiresAt: number }>();
  readonly #clock: Clock;

  constructor(options: MemoryStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  /** {@inheritDoc TokenStore.get} */
  async get(key: string): Promise<StoredToken | undefined> {
    return this.#entries.get(key);
  }

  /** {@inheritDoc TokenStore.compareAndSet} */
  async compareAndSet(key: string, expectedVersion: number, token: TokenSet, obtainedAt: number): Promise<StoredToken | undefined> {
    if ((this.#entries.get(key)?.version ?? 0) !== expectedVersion) return undefined;
    const stored: StoredToken = { token, version: expectedVersion + 1, obtainedAt };
    this.#entries.set(key, stored);
    this.#wake(key);
    return stored;
  }

  /** {@inheritDoc TokenStore.acquireLease} */
  async acquireLease(key: string, ttlMs: number): Promise<Lease | undefined> {
    if (this.#leases.has(key)) return undefined;
    const owner = Symbol(key);
    this.#leases.set(key, owner);
    // In one process a holder cannot die without its `finally`; the timer only guards against a bug.
    const timer = setTimeout(() => this.#drop(key, owner), ttlMs);
    timer.unref?.();
    return {
      release: async () => {
        clearTimeout(timer);
        this.#drop(key, owner);
      },
    };
  }

  /** {@inheritDoc TokenStore.waitForUpdate} */
  waitForUpdate(key: string, version: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if ((this.#entries.get(key)?.version ?? 0) !== version || !this.#leases.has(key)) return Promise.resolve();
    const waiters = this.#waiters.get(key) ?? new Set();
    this.#waiters.set(key, waiters);
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    waiters.add(wake);
    // The timeout and the signal end the wait as a wake does: it resolves whatever ended it.
    return withDeadline(woken, { ms: timeoutMs, signal })
      .catch(() => {})
      .finally(() => waiters.delete(wake));
  }

  /** {@inheritDoc TokenStore.increment} */
  async increment(counterKey: string, ttlMs: number): Promise<number> {
    const now = this.#clock.now();
    // Expired counters are dropped here rather than by timers: no handle keeps the process alive.
    for (const [name, counter] of this.#counters) if (counter.expiresAt <= now) this.#counters.delete(name);
    const counter = this.#counters.get(counterKey) ?? { count: 0, expiresAt: now + ttlMs };
    counter.count += 1;
    this.#counters.set(counterKey, counter);
    return counter.count;
  }

  #drop(key: string, owner: symbol): void {
    if (this.#leases.get(key) !== owner) return;
    this.#leases.delete(key);
    this.#wake(key);
  }

  #wake(key: string): void {
    for (const wake of [...(this.#waiters.get(key) ?? [])]) wake();
  }
}

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
