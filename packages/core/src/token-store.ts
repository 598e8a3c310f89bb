import type { TokenSet } from './token-set.js';

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
