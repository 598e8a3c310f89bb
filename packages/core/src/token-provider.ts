import { abandonable, settleWithin } from './abandonable.js';
import { systemClock, type Clock } from './clock.js';
import { keepRefreshToken } from './keep-refresh-token.js';
import { MemoryStore } from './memory-store.js';
import { withRedactedView } from './redacted-view.js';
import { DEFAULT_REFRESH_POLICY, retryDelay, tokenState, tokenTimeline, type RefreshPolicy } from './refresh-policy.js';
import { TokenError } from './token-error.js';
import type { TokenSet } from './token-set.js';
import type { StoredToken, TokenStore } from './token-store.js';

/** Something a provider reports about itself. No event carries a secret. */
export type TokenProviderEvent =
  | { type: 'token_refreshed'; key: string; expiresAt: number; background: boolean }
  | { type: 'refresh_failed'; key: string; error: TokenError; background: boolean; retryAt: number }
  | { type: 'store_unavailable'; key: string; error: unknown }
  | { type: 'store_recovered'; key: string }
  /**
   * The store holds a record under `key` that it reports as absent but will not let be replaced (e.g. a Redis
   * hash whose version is not a number). The provider keeps working on its own copy and tries again later.
   */
  | { type: 'store_corrupt'; key: string; reason: string };

/** Options of one {@link TokenProvider.getToken} call. */
export interface GetTokenOptions {
  /**
   * Abandons this caller's wait: the call rejects with a `TokenError` of code `aborted`. The shared refresh
   * other callers wait on is not cancelled.
   */
  signal?: AbortSignal;
}

/** Options of {@link createTokenProvider}. Every duration is in milliseconds. */
export interface TokenProviderOptions<Raw = unknown> extends Partial<RefreshPolicy> {
  /** Names the token in the store: one key per client, and per user for user tokens. Not a secret. */
  key: string;
  /** The vendor, for errors. */
  vendor?: string;
  /** Gets a new token without a refresh token (client credentials). Absent for user tokens. */
  requestToken?: (signal: AbortSignal) => Promise<TokenSet<Raw>>;
  /** Trades a refresh token for a new token set. Used whenever a usable refresh token is stored. */
  refresh?: (refreshToken: string, signal: AbortSignal) => Promise<TokenSet<Raw>>;
  /** The token set to start from when the store has none for `key` (a user token from `exchangeCode`). */
  initial?: TokenSet<Raw>;
  /** Where tokens are kept. Default: a new {@link MemoryStore}. */
  store?: TokenStore;
  /** The clock; injectable so tests never sleep. */
  clock?: Clock;
  /** Source of jitter, `Math.random` by default. */
  random?: () => number;
  /**
   * How long a refresh lease lasts. Default 30 seconds: longer than a token request may take (timeouts are
   * 10 s by default), so a lease never expires under a live holder, yet a crashed holder blocks the fleet
   * for at most this long.
   */
  leaseMs?: number;
  /** The API the token is for: `bearerAuth` sends the token to URLs under it and nowhere else. */
  baseUrl?: string;
  /** Receives {@link TokenProviderEvent}s (refreshes, background failures, store outages). Must not throw. */
  onEvent?: (event: TokenProviderEvent) => void;
}

/** A cached, single-flight, refresh-ahead source of one token. */
export interface TokenProvider<Raw = unknown> {
  /** The store key of this provider's token. */
  readonly key: string;
  /** The API the token is for, when known. */
  readonly baseUrl?: string;
  /** A valid token: cached, shared with concurrent callers, refreshed ahead of expiry. */
  getToken(options?: GetTokenOptions): Promise<TokenSet<Raw>>;
  /** The access token of {@link TokenProvider.getToken}. */
  getAccessToken(options?: GetTokenOptions): Promise<string>;
  /**
   * After a 401: replaces `accessToken` if it is still the current token (a stale 401 must not throw away a
   * fresh token), so that the next call gets a new one. Defers to a refresh already in flight (this process's
   * or another lease holder's) and never writes to the store outside the lease. Rate-limited; keeps any
   * refresh token. Without an argument, replaces whatever is current. Never rejects: a failed refresh is
   * reported through `onEvent` and met by the next `getToken()`.
   */
  invalidate(accessToken?: string): Promise<void>;
  /**
   * Aborts in-flight work and makes further calls fail with code `closed`. Idempotent. Returns within about a
   * second even when a token call ignores its abort signal: callers are released at once, and nothing that
   * settles later reaches the local copy or the store.
   */
  close(): Promise<void>;
}

const MAX_LEASE_WAITS = 10;
/** Compare-and-set attempts in one commit before the record is called corrupt: bounded whatever the store does. */
const MAX_COMMIT_ATTEMPTS = 3;
/** How long `close()` waits for in-flight work to let go of its lease. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Creates a {@link TokenProvider} for any token source — one of the vendor packages' clients, or a sixth
 * vendor of your own. The policy it follows is in `refresh-policy.ts`.
 */
export function createTokenProvider<Raw = unknown>(options: TokenProviderOptions<Raw>): TokenProvider<Raw> {
  const vendor = options.vendor ?? 'core';
  if (typeof options?.key !== 'string' || options.key.length === 0) {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: key is required' });
  }
  if (!options.requestToken && !options.refresh) {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: give requestToken, refresh, or both' });
  }
  const provider = new CachedTokenProvider<Raw>(options, vendor);
  return withRedactedView(provider, 'TokenProvider', { key: options.key, baseUrl: options.baseUrl });
}

class CachedTokenProvider<Raw> implements TokenProvider<Raw> {
  readonly key: string;
  readonly baseUrl?: string;
  readonly #vendor: string;
  readonly #options: TokenProviderOptions<Raw>;
  readonly #policy: RefreshPolicy;
  readonly #store: TokenStore;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #leaseMs: number;
  readonly #abort = new AbortController();

  /** This process's copy of the stored token, and the instants the fast path compares against. */
  #local?: StoredToken;
  #refreshAt = Number.NEGATIVE_INFINITY;
  #recheckAt = Number.NEGATIVE_INFINITY;
  /** The local copy was obtained while the store was down and still has to be written to it. */
  #unsaved = false;
  #initial?: TokenSet<Raw>;

  #slow?: Promise<TokenSet<Raw>>;
  #reading?: Promise<void>;
  #inflight?: Promise<StoredToken>;
  #failures = 0;
  #retryAt = Number.NEGATIVE_INFINITY;
  #lastError?: TokenError;
  #lastForcedAt = Number.NEGATIVE_INFINITY;
  /** A refresh token the vendor rejected: never sent again. */
  #deadRefreshToken?: string;
  #storeDown = false;
  #storeCorrupt = false;
  /** The access token a 401 was reported for: never handed out again, even while the store still holds it. */
  #revoked?: string;
  #closed = false;

  constructor(options: TokenProviderOptions<Raw>, vendor: string) {
    this.key = options.key;
    if (options.baseUrl !== undefined) this.baseUrl = options.baseUrl;
    this.#vendor = vendor;
    this.#options = options;
    this.#policy = { ...DEFAULT_REFRESH_POLICY };
    for (const name of Object.keys(DEFAULT_REFRESH_POLICY) as (keyof RefreshPolicy)[]) {
      const value = options[name];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !(value >= 0)) {
        throw new TokenError({ code: 'invalid_configuration', vendor, message: `createTokenProvider: ${name} must be a number ≥ 0` });
      }
      this.#policy[name] = value;
    }
    this.#store = options.store ?? new MemoryStore();
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#leaseMs = options.leaseMs ?? 30_000;
    if (!(this.#leaseMs > 0) || !Number.isFinite(this.#leaseMs)) {
      throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: leaseMs must be a positive number' });
    }
    this.#initial = options.initial;
  }

  getToken(options?: GetTokenOptions): Promise<TokenSet<Raw>> {
    const cached = options === undefined ? this.#cached() : undefined;
    return cached ? Promise.resolve(cached) : this.#answer(options);
  }

  getAccessToken(options?: GetTokenOptions): Promise<string> {
    // Its own fast path: going through getToken() would cost a second promise on every cache hit.
    const cached = options === undefined ? this.#cached() : undefined;
    return cached ? Promise.resolve(cached.accessToken) : this.#answer(options).then((token) => token.accessToken);
  }

  /** Everything but the plain cache hit: calls with options, and misses. */
  #answer(options: GetTokenOptions | undefined): Promise<TokenSet<Raw>> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(this.#abortedError(signal));
    const cached = this.#cached();
    if (cached) return Promise.resolve(cached);
    return signal === undefined ? this.#slowly() : abandonable(this.#slowly(), signal, (s) => this.#abortedError(s));
  }

  /**
   * Concurrent callers that miss the cache share one pass through the slow path: 10,000 callers on a cold
   * provider cost one store read, one refresh and one promise to settle, not 10,000 of each.
   */
  #slowly(): Promise<TokenSet<Raw>> {
    this.#slow ??= this.#getTokenSlowly().finally(() => {
      this.#slow = undefined;
    });
    return this.#slow;
  }

  /** The cache hit: a fresh local copy, found with no I/O and no allocation. */
  #cached(): TokenSet<Raw> | undefined {
    const now = this.#clock.now();
    const local = this.#local;
    return local !== undefined && now < this.#refreshAt && now < this.#recheckAt ? (local.token as TokenSet<Raw>) : undefined;
  }

  async invalidate(accessToken?: string): Promise<void> {
    this.#assertOpen();
    // A refresh in flight gives a new token anyway: wait for it instead of racing it (its compare-and-set would
    // otherwise lose to ours, and its rotated refresh token with it).
    if (this.#inflight) await this.#inflight.catch(() => {});
    if (this.#local === undefined || this.#clock.now() >= this.#recheckAt) await this.#readStore();
    const current = this.#local;
    if (!current || (accessToken !== undefined && current.token.accessToken !== accessToken)) return;
    const now = this.#clock.now();
    if (now - this.#lastForcedAt < this.#policy.forcedRefreshIntervalMs) return;
    this.#lastForcedAt = now;
    // Nothing is written here: the token is replaced by a refresh under the lease, which keeps the refresh
    // token and defers to another process that is refreshing already.
    this.#revoked = current.token.accessToken;
    this.#refreshAt = Number.NEGATIVE_INFINITY;
    await this.#refreshOnce(false).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#local = undefined;
    this.#refreshAt = Number.NEGATIVE_INFINITY;
    this.#abort.abort(this.#closedError());
    // In-flight work was abandoned by the abort; give it a moment to release its lease, but no more.
    if (this.#inflight) await settleWithin(this.#inflight, CLOSE_GRACE_MS);
  }

  /** Whether `stored` may be handed out now: not expired, and not the token a 401 was reported for. */
  #usable(stored: StoredToken | undefined, now: number): stored is StoredToken {
    return stored !== undefined && stored.token.accessToken !== this.#revoked && tokenState(stored, now, this.#policy) !== 'expired';
  }

  async #getTokenSlowly(): Promise<TokenSet<Raw>> {
    this.#assertOpen();
    if (this.#local === undefined || this.#clock.now() >= this.#recheckAt) {
      if (this.#usable(this.#local, this.#clock.now())) {
        // A valid local copy is served at once, whatever the store's latency: re-validation runs behind it.
        this.#readStore().catch(() => {});
      } else {
        await this.#readStore();
      }
    }
    this.#assertOpen();
    const current = this.#local;
    const now = this.#clock.now();
    const state = this.#usable(current, now) ? tokenState(current, now, this.#policy) : 'expired';
    if (current && state === 'fresh') return current.token as TokenSet<Raw>;
    if (current && state === 'refresh-ahead') {
      if (this.#inflight === undefined && now >= this.#retryAt) {
        // Errors are recorded, reported through onEvent and retried with backoff; callers keep the valid token.
        this.#refreshOnce(true).catch(() => {});
      }
      return current.token as TokenSet<Raw>;
    }
    if (this.#inflight === undefined && now < this.#retryAt && this.#lastError) throw this.#lastError;
    return (await this.#refreshOnce(false)).token as TokenSet<Raw>;
  }

  /**
   * Single flight: every caller in this process shares one refresh. The outcome is recorded and the
   * in-flight slot freed before any event is emitted, so a listener that reacts at once sees a settled provider.
   */
  #refreshOnce(background: boolean): Promise<StoredToken> {
    if (this.#inflight === undefined) {
      const attempt: Promise<StoredToken> = this.#refreshUnderLease().then(
        (stored) => {
          this.#inflight = undefined;
          this.#failures = 0;
          this.#retryAt = Number.NEGATIVE_INFINITY;
          this.#lastError = undefined;
          this.#emit({ type: 'token_refreshed', key: this.key, expiresAt: stored.token.expiresAt, background });
          return stored;
        },
        (thrown: unknown) => {
          this.#inflight = undefined;
          const error = this.#asTokenError(thrown);
          if (this.#closed) throw error;
          this.#failures += 1;
          this.#retryAt = this.#clock.now() + retryDelay(this.#failures, this.#policy, this.#random, error.retryAfterMs);
          this.#lastError = error;
          this.#emit({ type: 'refresh_failed', key: this.key, error, background, retryAt: this.#retryAt });
          throw error;
        },
      );
      this.#inflight = attempt;
    }
    return this.#inflight;
  }

  /** Fleet-wide single flight: only the lease holder calls the vendor; the others wait for its result. */
  async #refreshUnderLease(): Promise<StoredToken> {
    for (let waits = 0; ; waits++) {
      this.#assertOpen();
      let lease;
      try {
        lease = await this.#store.acquireLease(this.key, this.#leaseMs);
      } catch (error) {
        this.#storeFailed(error);
        return this.#obtainAndCommit();
      }
      if (lease) {
        try {
          return await this.#obtainAndCommit();
        } finally {
          await lease.release();
        }
      }
      if (waits >= MAX_LEASE_WAITS) {
        throw new TokenError({
          code: 'timeout',
          vendor: this.#vendor,
          message: `Another process has held the refresh lease for "${this.key}" too long; it is safe to retry.`,
        });
      }
      const seenVersion = this.#local?.version ?? 0;
      try {
        await this.#store.waitForUpdate(this.key, seenVersion, this.#leaseMs, this.#abort.signal);
      } catch (error) {
        // The store failed while another process held the lease: go on alone, as when the lease cannot be taken.
        this.#storeFailed(error);
        return this.#obtainAndCommit();
      }
      await this.#readStore(true);
      const current = this.#local;
      if (current && current.version !== seenVersion && this.#usable(current, this.#clock.now())) return current;
    }
  }

  /** Under the lease: re-read (another holder may have refreshed already), then ask the vendor and commit. */
  async #obtainAndCommit(): Promise<StoredToken> {
    await this.#readStore(true);
    this.#assertOpen();
    const current = this.#local;
    if (this.#usable(current, this.#clock.now()) && tokenState(current, this.#clock.now(), this.#policy) === 'fresh') return current;
    const obtainedAt = this.#clock.now();
    const token = await this.#obtainBeforeLeaseEnds(current?.token as TokenSet<Raw> | undefined);
    // A token call that settles after close() must not reach the local copy or the store.
    this.#assertOpen();
    return this.#commit(current?.version ?? 0, token, obtainedAt);
  }

  /**
   * {@link #obtain}, abandoned shortly before the lease could run out — even if the token call ignores its
   * signal — so that no other process takes the lease over while this one still works (and spends the same
   * refresh token). The margin is a tenth of the lease, at most 5 seconds.
   */
  async #obtainBeforeLeaseEnds(current: TokenSet<Raw> | undefined): Promise<TokenSet<Raw>> {
    const deadline = new AbortController();
    const budgetMs = this.#leaseMs - Math.min(5_000, this.#leaseMs / 10);
    const timer = setTimeout(() => {
      deadline.abort(
        new TokenError({
          code: 'timeout',
          vendor: this.#vendor,
          message: `The token call for "${this.key}" took longer than its ${budgetMs} ms share of the refresh lease and was abandoned; it is safe to retry.`,
        }),
      );
    }, budgetMs);
    timer.unref?.();
    const signal = AbortSignal.any([this.#abort.signal, deadline.signal]);
    try {
      return await abandonable(this.#obtain(current, signal), signal, (s) => s.reason);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Uses the refresh token when there is a usable one; falls back to client credentials, or asks for re-authorisation. */
  async #obtain(current: TokenSet<Raw> | undefined, signal: AbortSignal): Promise<TokenSet<Raw>> {
    const { refresh, requestToken } = this.#options;
    const refreshToken = current?.refreshToken;
    const refreshUsable =
      refreshToken !== undefined &&
      refreshToken !== this.#deadRefreshToken &&
      (current?.refreshExpiresAt === undefined || current.refreshExpiresAt > this.#clock.now());
    let rejection: TokenError | undefined;
    if (refresh && refreshUsable) {
      try {
        return keepRefreshToken(await refresh(refreshToken, signal), refreshToken, current?.refreshExpiresAt);
      } catch (error) {
        if (!(error instanceof TokenError && error.code === 'invalid_grant')) throw error;
        this.#deadRefreshToken = refreshToken;
        rejection = error;
      }
    }
    if (requestToken) return requestToken(signal);
    throw new TokenError({
      code: 'reauthorization_required',
      vendor: this.#vendor,
      message: rejection
        ? `The refresh token for "${this.key}" was rejected; the user must authorise the application again.`
        : `There is no usable refresh token for "${this.key}"; the user must authorise the application again.`,
      cause: rejection,
    });
  }

  /**
   * Writes a token with compare-and-set before anyone gets it, so a rotated refresh token is stored before it
   * can be lost. When another writer came first, its token wins only if it is usable and at least as new as
   * ours; otherwise ours is written over it — a lost compare-and-set never discards a newer refresh token and
   * never hands out an expired one. Bounded: after {@link MAX_COMMIT_ATTEMPTS} refusals, or a record the store
   * reports as absent yet will not replace, the record is called corrupt. If the store is down or corrupt, the
   * token is kept here and written once the store accepts it. Reads the store itself, never through
   * `#readStore` (which commits): the two cannot call each other.
   */
  async #commit(expectedVersion: number, token: TokenSet, obtainedAt: number): Promise<StoredToken> {
    let expected = expectedVersion;
    for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      this.#assertOpen();
      let winner: StoredToken | undefined;
      try {
        const stored = await this.#store.compareAndSet(this.key, expected, token, obtainedAt);
        this.#storeRecovered();
        if (stored !== undefined) {
          this.#unsaved = false;
          this.#storeCorrupt = false;
          this.#adopt(stored);
          return stored;
        }
        winner = await this.#store.get(this.key);
      } catch (error) {
        this.#storeFailed(error);
        return this.#keepUnsaved(token, expected, obtainedAt);
      }
      if (winner === undefined && expected === 0) {
        return this.#corrupt(token, obtainedAt, 'the store reports no record but refuses to write the first version');
      }
      if (winner !== undefined && winner.version === expected) {
        return this.#corrupt(token, obtainedAt, `the store refuses to replace version ${expected} although it holds it`);
      }
      if (winner !== undefined && winner.obtainedAt >= obtainedAt && this.#usable(winner, this.#clock.now())) {
        this.#unsaved = false;
        this.#adopt(winner);
        return winner;
      }
      // The record vanished (write the first version) or holds an older or unusable token (write over it).
      expected = winner?.version ?? 0;
    }
    return this.#corrupt(token, obtainedAt, `compare-and-set was refused ${MAX_COMMIT_ATTEMPTS} times in a row`);
  }

  /** The store cannot take the token now: serve it from here and try to publish it again soon. */
  #keepUnsaved(token: TokenSet, version: number, obtainedAt: number): StoredToken {
    const result = { token, version, obtainedAt };
    this.#unsaved = true;
    this.#adopt(result);
    // An unsaved token must reach the store soon after it is back, or other processes will refresh again.
    this.#recheckAt = this.#clock.now() + Math.min(this.#policy.revalidateMs, 5_000);
    return result;
  }

  /** A record that cannot be read or replaced: reported once, worked around, retried at the next re-check. */
  #corrupt(token: TokenSet, obtainedAt: number, reason: string): StoredToken {
    if (!this.#storeCorrupt) {
      this.#storeCorrupt = true;
      this.#emit({ type: 'store_corrupt', key: this.key, reason });
    }
    return this.#keepUnsaved(token, 0, obtainedAt);
  }

  /** Refreshes the local copy from the store; one read at a time however many callers ask. */
  #readStore(force = false): Promise<void> {
    if (this.#reading && !force) return this.#reading;
    const reading = this.#readStoreOnce().finally(() => {
      if (this.#reading === reading) this.#reading = undefined;
    });
    this.#reading = reading;
    return reading;
  }

  async #readStoreOnce(): Promise<void> {
    let stored: StoredToken | undefined;
    try {
      stored = await this.#store.get(this.key);
      if (this.#closed) return;
      this.#storeRecovered();
    } catch (error) {
      if (this.#closed) return;
      this.#storeFailed(error);
      if (this.#local === undefined && this.#initial !== undefined) {
        // The user's token must not be lost to a store outage: use it here, publish it later.
        this.#adopt({ token: this.#initial, version: 0, obtainedAt: this.#clock.now() });
        this.#initial = undefined;
        this.#unsaved = true;
      }
      // Keep serving the local copy; try the store again soon, not on every call.
      this.#recheckAt = this.#clock.now() + Math.min(this.#policy.revalidateMs, 5_000);
      return;
    }
    const local = this.#local;
    if (this.#unsaved && local && (stored === undefined || stored.obtainedAt <= local.obtainedAt)) {
      // Obtained while the store was down: this token (and its refresh token) is the newest; publish it.
      await this.#commit(stored?.version ?? 0, local.token, local.obtainedAt);
      return;
    }
    if (stored === undefined && this.#initial !== undefined) {
      const initial = this.#initial;
      this.#initial = undefined;
      await this.#commit(0, initial, this.#clock.now());
      return;
    }
    if (stored === undefined && local !== undefined) {
      // The store lost the token (evicted, flushed, restarted without persistence). Publish ours again as the
      // first version: otherwise every later compare-and-set expects a version that no longer exists, fails,
      // and the provider would keep a stale copy instead of the token it just obtained.
      await this.#commit(0, local.token, local.obtainedAt);
      return;
    }
    this.#unsaved = false;
    if (stored) this.#adopt(stored);
    else this.#recheckAt = this.#clock.now() + this.#policy.revalidateMs;
  }

  #adopt(stored: StoredToken): void {
    if (this.#closed) return;
    this.#local = stored;
    if (stored.token.accessToken !== this.#revoked) this.#revoked = undefined;
    this.#refreshAt = tokenTimeline(stored, this.#policy).refreshAt;
    this.#recheckAt = this.#clock.now() + this.#policy.revalidateMs;
  }

  #storeFailed(error: unknown): void {
    if (this.#storeDown) return;
    this.#storeDown = true;
    this.#emit({ type: 'store_unavailable', key: this.key, error });
  }

  #storeRecovered(): void {
    if (!this.#storeDown) return;
    this.#storeDown = false;
    this.#emit({ type: 'store_recovered', key: this.key });
  }

  #emit(event: TokenProviderEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // A faulty listener must not break token refreshes.
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw this.#closedError();
  }

  #closedError(): TokenError {
    return new TokenError({ code: 'closed', vendor: this.#vendor, message: `The token provider for "${this.key}" is closed.` });
  }

  #abortedError(signal: AbortSignal): TokenError {
    return new TokenError({
      code: 'aborted',
      vendor: this.#vendor,
      message: `Waiting for the token of "${this.key}" was aborted by the caller's signal; the shared refresh goes on.`,
      cause: signal.reason,
    });
  }

  #asTokenError(error: unknown): TokenError {
    if (error instanceof TokenError) return error;
    return new TokenError({
      code: 'invalid_response',
      vendor: this.#vendor,
      message: `The token source for "${this.key}" failed with a ${error instanceof Error ? error.name : typeof error}, not a TokenError.`,
      cause: error,
    });
  }
}
