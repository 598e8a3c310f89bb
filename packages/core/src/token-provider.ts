import { systemClock, type Clock, type GetTokenOptions, type TokenProvider, type TokenProviderOptions, type TokenSet } from './contract.js';
import { MemoryStore, boundedStore } from './token-store.js';
import { DEFAULT_REFRESH_POLICY, DailyQuota, tokenState, type RefreshPolicy } from './refresh-policy.js';
import { withDeadline } from './deadline.js';
import { ProviderReporter } from './diagnostics.js';
import { withRedactedView } from './redacted-view.js';
import { Refresh } from './refresh.js';
import { StoreMirror } from './store-mirror.js';
import { TokenError } from './token-error.js';

export type { GetTokenOptions, TokenProvider, TokenProviderEvent, TokenProviderOptions } from './contract.js';

/** How long `close()` waits for in-flight work to let go of its lease. */
const CLOSE_GRACE_MS = 1_000;
/** The default refresh lease: longer than a token request may take (10 s by default). */
const DEFAULT_LEASE_MS = 30_000;
/**
 * The default bound on one store call: 5 seconds, longer than a healthy Redis ever takes (and than
 * redis-store's command timeouts), short enough that a hung store costs a cold caller seconds, not for ever.
 */
const DEFAULT_STORE_TIMEOUT_MS = 5_000;

/**
 * Creates a {@link TokenProvider} for any token source — one of the vendor packages' clients, or a sixth
 * vendor of your own. The policy it follows is in `refresh-policy.ts`.
 */
export function createTokenProvider<Raw = unknown>(options: TokenProviderOptions<Raw>): TokenProvider<Raw> {
  const vendor = options?.vendor ?? 'core';
  if (typeof options?.key !== 'string' || options.key.length === 0) {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: key is required' });
  }
  if (!options.requestToken && !options.refresh) {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: give requestToken, refresh, or both' });
  }
  const provider = new CachedTokenProvider<Raw>(options, vendor);
  return withRedactedView(provider, 'TokenProvider', { key: options.key, baseUrl: options.baseUrl });
}

/**
 * The provider callers hold: the fast path (a fresh local copy, no I/O), what a caller who misses gets, 401
 * handling and closing. The parts behind it: {@link StoreMirror} (the local copy) and {@link Refresh} (one
 * refresh per process and per fleet, with backoff, and the grant it uses).
 */
class CachedTokenProvider<Raw> implements TokenProvider<Raw> {
  readonly key: string;
  readonly baseUrl?: string;
  readonly #vendor: string;
  readonly #clock: Clock;
  readonly #policy: Readonly<RefreshPolicy>;
  readonly #closer = new AbortController();
  readonly #mirror: StoreMirror;
  readonly #refresh: Refresh<Raw>;
  readonly #quota?: DailyQuota;
  readonly #report: ProviderReporter;
  #slow?: Promise<TokenSet<Raw>>;
  /** Whether the slow pass in flight answers without waiting for a refresh (for the `cache` report). */
  #slowPass = { hit: true };
  #lastForcedAt = Number.NEGATIVE_INFINITY;

  /** Checks the options and resolves their defaults; a bad option is `invalid_configuration`. */
  constructor(options: TokenProviderOptions<Raw>, vendor: string) {
    const fail = (message: string): never => {
      throw new TokenError({ code: 'invalid_configuration', vendor, message: `createTokenProvider: ${message}` });
    };
    this.key = options.key;
    if (options.baseUrl !== undefined) this.baseUrl = options.baseUrl;
    this.#vendor = vendor;
    const policy: RefreshPolicy = { ...DEFAULT_REFRESH_POLICY };
    for (const name of Object.keys(DEFAULT_REFRESH_POLICY) as (keyof RefreshPolicy)[]) {
      const value = options[name];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !(value >= 0)) fail(`${name} must be a number ≥ 0`);
      policy[name] = value;
    }
    this.#policy = policy;
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    if (!(leaseMs > 0) || !Number.isFinite(leaseMs)) fail('leaseMs must be a positive number');
    const logger = options.logger;
    if (logger !== undefined && !(['debug', 'info', 'warn', 'error'] as const).every((level) => typeof logger?.[level] === 'function')) {
      fail('logger must have debug, info, warn and error methods (console and pino do)');
    }
    const report = new ProviderReporter(options.key, vendor, options.onEvent, logger);
    this.#report = report;
    const storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    if (!(storeTimeoutMs > 0) || !Number.isFinite(storeTimeoutMs)) fail('storeTimeoutMs must be a positive number');
    const { dailyBudget } = options;
    if (dailyBudget === undefined && (options.quotaTimeZone !== undefined || options.quotaKey !== undefined)) {
      // Silently ignored, they would let a user believe a budget is enforced.
      fail('quotaTimeZone and quotaKey need dailyBudget');
    }
    const key = options.key;
    const store = boundedStore(options.store ?? new MemoryStore(), storeTimeoutMs);
    const clock = options.clock ?? systemClock;
    this.#clock = clock;
    const closing = this.#closer.signal;
    const mirror = new StoreMirror({ key, store, clock, policy, closing, report }, options.initial);
    this.#mirror = mirror;
    const quota =
      dailyBudget === undefined
        ? undefined
        : new DailyQuota({ key, vendor, clock, store, report, storeFailed: (error) => mirror.storeFailed(error) }, { ...options, dailyBudget });
    if (quota !== undefined) this.#quota = quota;
    const sources = { requestToken: options.requestToken, refresh: options.refresh };
    const random = options.random ?? Math.random;
    this.#refresh = new Refresh<Raw>({ key, vendor, store, clock, random, policy, leaseMs, closing, mirror, report, quota, sources });
  }

  getToken(options?: GetTokenOptions): Promise<TokenSet<Raw>> {
    const cached = options === undefined ? this.#cached() : undefined;
    if (cached === undefined) return this.#answer(options);
    if (this.#report.watchingAnswers) this.#report.publish('cache', { hit: true });
    return Promise.resolve(cached);
  }

  getAccessToken(options?: GetTokenOptions): Promise<string> {
    // Its own fast path: going through getToken() would cost a second promise on every cache hit.
    const cached = options === undefined ? this.#cached() : undefined;
    if (cached === undefined) return this.#answer(options).then((token) => token.accessToken);
    if (this.#report.watchingAnswers) this.#report.publish('cache', { hit: true });
    return Promise.resolve(cached.accessToken);
  }

  /** The cache hit: a fresh local copy, found with no I/O and no allocation. */
  #cached(): TokenSet<Raw> | undefined {
    return this.#mirror.fresh(this.#clock.now())?.token as TokenSet<Raw> | undefined;
  }

  /** Everything but the plain cache hit: calls with options, and misses. */
  #answer(options: GetTokenOptions | undefined): Promise<TokenSet<Raw>> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(this.#abortedError(signal));
    const cached = this.#cached();
    if (cached) {
      if (this.#report.watchingAnswers) this.#report.publish('cache', { hit: true });
      return Promise.resolve(cached);
    }
    return signal === undefined ? this.#slowly() : withDeadline(this.#slowly(), { signal, aborted: (s) => this.#abortedError(s) });
  }

  /**
   * Concurrent callers that miss the cache share one pass through the slow path: 10,000 callers on a cold
   * provider cost one store read, one refresh and one promise to settle, not 10,000 of each.
   */
  #slowly(): Promise<TokenSet<Raw>> {
    if (this.#slow === undefined) {
      const pass = { hit: true };
      this.#slowPass = pass;
      // Abandoned by close(): a caller waiting on a slow store read is released at once, like one waiting on the vendor.
      this.#slow = withDeadline(this.#getTokenSlowly(pass), { signal: this.#closer.signal }).finally(() => {
        this.#slow = undefined;
      });
    }
    const report = this.#report;
    if (!report.watchingAnswers) return this.#slow;
    const pass = this.#slowPass;
    return this.#slow.then((token) => {
      report.publish('cache', { hit: pass.hit });
      return token;
    });
  }

  async #getTokenSlowly(pass: { hit: boolean }): Promise<TokenSet<Raw>> {
    const clock = this.#clock;
    const mirror = this.#mirror;
    const closing = this.#closer.signal;
    closing.throwIfAborted();
    if (mirror.due(clock.now())) {
      // A valid local copy is served at once, whatever the store's latency: re-validation runs behind it.
      if (mirror.usable(mirror.current, clock.now())) mirror.read().catch(() => {});
      else await mirror.read();
    }
    closing.throwIfAborted();
    const current = mirror.current;
    const now = clock.now();
    const state = mirror.usable(current, now) ? tokenState(current, now, this.#policy) : 'expired';
    if (current && state === 'fresh') return current.token as TokenSet<Raw>;
    if (current && state === 'refresh-ahead') {
      // Errors are recorded, reported through onEvent and retried with backoff; callers keep the valid token.
      if (this.#refresh.mayStart(now)) this.#refresh.run(true).catch(() => {});
      return current.token as TokenSet<Raw>;
    }
    const backingOff = this.#refresh.backingOff(now);
    if (backingOff) throw (backingOff.code === 'quota_exhausted' && this.#quota?.refusal()) || backingOff;
    pass.hit = false;
    return (await this.#refresh.run(false)).token as TokenSet<Raw>;
  }

  async invalidate(accessToken?: string): Promise<void> {
    const clock = this.#clock;
    this.#closer.signal.throwIfAborted();
    // A refresh in flight gives a new token anyway: wait for it instead of racing it (its compare-and-set would
    // otherwise lose to ours, and its rotated refresh token with it).
    await this.#refresh.inflight?.catch(() => {});
    if (this.#mirror.due(clock.now())) await this.#mirror.read();
    const current = this.#mirror.current;
    if (!current || (accessToken !== undefined && current.token.accessToken !== accessToken)) return;
    const now = clock.now();
    // The rate limit counts forward only: a clock set back must not silence 401 handling for the jump's length.
    if (now >= this.#lastForcedAt && now - this.#lastForcedAt < this.#policy.forcedRefreshIntervalMs) return;
    this.#lastForcedAt = now;
    // Nothing is written here: the token is replaced by a refresh under the lease, which keeps the refresh
    // token and defers to another process that is refreshing already.
    this.#mirror.revoke(current.token.accessToken);
    // Not while backing off: a vendor that asked for a pause (Retry-After) or keeps failing gets no request
    // before the pause ends. The next getToken() reports the failure, and refreshes once the pause is over.
    if (this.#refresh.backingOff(now)) return;
    await this.#refresh.run(false).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.#closer.signal.aborted) return;
    this.#closer.abort(
      new TokenError({ code: 'closed', vendor: this.#vendor, message: `The token provider for "${this.key}" is closed.` }),
    );
    this.#mirror.clear();
    // In-flight work was abandoned by the abort; give it a moment to release its lease, but no more.
    const inflight = this.#refresh.inflight;
    if (inflight) await withDeadline(inflight, { ms: CLOSE_GRACE_MS }).catch(() => {});
  }

  #abortedError(signal: AbortSignal): TokenError {
    return new TokenError({
      code: 'aborted',
      vendor: this.#vendor,
      message: `Waiting for the token of "${this.key}" was aborted by the caller's signal; the shared refresh goes on.`,
      cause: signal.reason,
    });
  }
}
