import { systemClock, type Clock } from './clock.js';
import { withDeadline } from './deadline.js';
import type { TokenSet } from './token-set.js';
import type { Lease, StoredToken, TokenStore } from './token-store.js';

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
