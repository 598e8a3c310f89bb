import { DailyQuota } from './daily-quota.js';
import { withDeadline } from './deadline.js';
import { GrantChoice } from './grant-choice.js';
import { LeaseRefresh } from './lease-refresh.js';
import { assertOpen, closedError, providerContext, type ProviderContext } from './provider-context.js';
import { RefreshFlight } from './refresh-flight.js';
import { tokenState } from './refresh-policy.js';
import { withRedactedView } from './redacted-view.js';
import { StoreMirror } from './store-mirror.js';
import { TokenError } from './token-error.js';
import type { GetTokenOptions, TokenProvider, TokenProviderOptions } from './token-provider-types.js';
import type { TokenSet } from './token-set.js';

export type { GetTokenOptions, TokenProvider, TokenProviderEvent, TokenProviderOptions } from './token-provider-types.js';

/** How long `close()` waits for in-flight work to let go of its lease. */
const CLOSE_GRACE_MS = 1_000;

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
 * handling and closing. The parts behind it: {@link StoreMirror} (the local copy), {@link RefreshFlight} (one
 * refresh per process, with backoff), {@link LeaseRefresh} (one per fleet), {@link GrantChoice} (which grant).
 */
class CachedTokenProvider<Raw> implements TokenProvider<Raw> {
  readonly key: string;
  readonly baseUrl?: string;
  readonly #context: ProviderContext;
  readonly #closer = new AbortController();
  readonly #mirror: StoreMirror;
  readonly #flight: RefreshFlight;
  readonly #quota?: DailyQuota;
  /** The context's reporter, one property load closer to the fast path. */
  readonly #report: ProviderContext['report'];
  #slow?: Promise<TokenSet<Raw>>;
  /** Whether the slow pass in flight answers without waiting for a refresh (for the `cache` report). */
  #slowPass = { hit: true };
  #lastForcedAt = Number.NEGATIVE_INFINITY;

  constructor(options: TokenProviderOptions<Raw>, vendor: string) {
    this.key = options.key;
    if (options.baseUrl !== undefined) this.baseUrl = options.baseUrl;
    this.#context = providerContext(options as TokenProviderOptions<never>, vendor, this.#closer.signal);
    this.#report = this.#context.report;
    this.#mirror = new StoreMirror(this.#context, options.initial);
    const { dailyBudget } = options;
    if (dailyBudget === undefined && (options.quotaTimeZone !== undefined || options.quotaKey !== undefined)) {
      // Silently ignored, they would let a user believe a budget is enforced.
      throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: quotaTimeZone and quotaKey need dailyBudget' });
    }
    const quota = dailyBudget === undefined ? undefined : new DailyQuota(this.#context, { ...options, dailyBudget });
    if (quota !== undefined) this.#quota = quota;
    const grants = new GrantChoice<Raw>(this.#context, options, quota);
    this.#flight = new RefreshFlight(this.#context, new LeaseRefresh(this.#context, this.#mirror, grants));
  }

  getToken(options?: GetTokenOptions): Promise<TokenSet<Raw>> {
    const cached = options === undefined ? this.#cached() : undefined;
    if (cached === undefined) return this.#answer(options);
    if (this.#report.watchingAnswers) this.#report.answered(true);
    return Promise.resolve(cached);
  }

  getAccessToken(options?: GetTokenOptions): Promise<string> {
    // Its own fast path: going through getToken() would cost a second promise on every cache hit.
    const cached = options === undefined ? this.#cached() : undefined;
    if (cached === undefined) return this.#answer(options).then((token) => token.accessToken);
    if (this.#report.watchingAnswers) this.#report.answered(true);
    return Promise.resolve(cached.accessToken);
  }

  /** The cache hit: a fresh local copy, found with no I/O and no allocation. */
  #cached(): TokenSet<Raw> | undefined {
    const now = this.#context.clock.now();
    const mirror = this.#mirror;
    const local = mirror.local;
    return local !== undefined && now < mirror.refreshAt && now < mirror.recheckAt && now >= mirror.checkedAt
      ? (local.token as TokenSet<Raw>)
      : undefined;
  }

  /** Everything but the plain cache hit: calls with options, and misses. */
  #answer(options: GetTokenOptions | undefined): Promise<TokenSet<Raw>> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(this.#abortedError(signal));
    const cached = this.#cached();
    if (cached) {
      if (this.#report.watchingAnswers) this.#report.answered(true);
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
      this.#slow = withDeadline(this.#getTokenSlowly(pass), { signal: this.#closer.signal, aborted: () => closedError(this.#context) }).finally(() => {
        this.#slow = undefined;
      });
    }
    const report = this.#report;
    if (!report.watchingAnswers) return this.#slow;
    const pass = this.#slowPass;
    return this.#slow.then((token) => {
      report.answered(pass.hit);
      return token;
    });
  }

  async #getTokenSlowly(pass: { hit: boolean }): Promise<TokenSet<Raw>> {
    const { clock, policy } = this.#context;
    const mirror = this.#mirror;
    assertOpen(this.#context);
    if (mirror.due(clock.now())) {
      // A valid local copy is served at once, whatever the store's latency: re-validation runs behind it.
      if (mirror.usable(mirror.local, clock.now())) mirror.read().catch(() => {});
      else await mirror.read();
    }
    assertOpen(this.#context);
    const current = mirror.local;
    const now = clock.now();
    const state = mirror.usable(current, now) ? tokenState(current, now, policy) : 'expired';
    if (current && state === 'fresh') return current.token as TokenSet<Raw>;
    if (current && state === 'refresh-ahead') {
      // Errors are recorded, reported through onEvent and retried with backoff; callers keep the valid token.
      if (this.#flight.mayStart(now)) this.#flight.run(true).catch(() => {});
      return current.token as TokenSet<Raw>;
    }
    const backingOff = this.#flight.backingOff(now);
    if (backingOff) throw (backingOff.code === 'quota_exhausted' && this.#quota?.refusal()) || backingOff;
    pass.hit = false;
    return (await this.#flight.run(false)).token as TokenSet<Raw>;
  }

  async invalidate(accessToken?: string): Promise<void> {
    const { clock, policy } = this.#context;
    assertOpen(this.#context);
    // A refresh in flight gives a new token anyway: wait for it instead of racing it (its compare-and-set would
    // otherwise lose to ours, and its rotated refresh token with it).
    await this.#flight.inflight?.catch(() => {});
    if (this.#mirror.due(clock.now())) await this.#mirror.read();
    const current = this.#mirror.local;
    if (!current || (accessToken !== undefined && current.token.accessToken !== accessToken)) return;
    const now = clock.now();
    // The rate limit counts forward only: a clock set back must not silence 401 handling for the jump's length.
    if (now >= this.#lastForcedAt && now - this.#lastForcedAt < policy.forcedRefreshIntervalMs) return;
    this.#lastForcedAt = now;
    // Nothing is written here: the token is replaced by a refresh under the lease, which keeps the refresh
    // token and defers to another process that is refreshing already.
    this.#mirror.revoke(current.token.accessToken);
    // Not while backing off: a vendor that asked for a pause (Retry-After) or keeps failing gets no request
    // before the pause ends. The next getToken() reports the failure, and refreshes once the pause is over.
    if (this.#flight.backingOff(now)) return;
    await this.#flight.run(false).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.#closer.signal.aborted) return;
    this.#closer.abort(closedError(this.#context));
    this.#mirror.clear();
    // In-flight work was abandoned by the abort; give it a moment to release its lease, but no more.
    const inflight = this.#flight.inflight;
    if (inflight) await withDeadline(inflight, { ms: CLOSE_GRACE_MS }).catch(() => {});
  }

  #abortedError(signal: AbortSignal): TokenError {
    return new TokenError({
      code: 'aborted',
      vendor: this.#context.vendor,
      message: `Waiting for the token of "${this.key}" was aborted by the caller's signal; the shared refresh goes on.`,
      cause: signal.reason,
    });
  }
}
