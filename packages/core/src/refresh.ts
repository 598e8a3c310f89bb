import { retryDelay, tokenState, type DailyQuota, type RefreshPolicy } from './refresh-policy.js';
import { withDeadline } from './deadline.js';
import type { ProviderReporter } from './diagnostics.js';
import { keepRefreshToken } from './keep-refresh-token.js';
import type { StoreMirror } from './store-mirror.js';
import { TokenError } from './token-error.js';
import type { Clock, TokenSet } from './contract.js';
import type { Lease, StoredToken, TokenStore } from './token-store.js';

/** How often one refresh waits for another process's lease before it gives up with `timeout`. */
const MAX_LEASE_WAITS = 10;

/** The provider's two ways to a new token set: the vendor calls it was given. */
export interface TokenSources<Raw> {
  /** Gets a new token without a refresh token (client credentials). Absent for user tokens. */
  requestToken?: ((signal: AbortSignal) => Promise<TokenSet<Raw>>) | undefined;
  /** Trades a refresh token for a new token set. */
  refresh?: ((refreshToken: string, signal: AbortSignal) => Promise<TokenSet<Raw>>) | undefined;
}

/** What a refresh works with: the provider's settings, its local copy, where it reports, and its budget. */
export interface RefreshSettings<Raw> {
  key: string;
  vendor: string;
  /** The store, every call bounded (see `boundedStore`). */
  store: TokenStore;
  clock: Clock;
  random: () => number;
  policy: Readonly<RefreshPolicy>;
  leaseMs: number;
  /** Aborted by `close()`, with the `closed` error as its reason. */
  closing: AbortSignal;
  mirror: StoreMirror;
  report: ProviderReporter;
  quota: DailyQuota | undefined;
  sources: TokenSources<Raw>;
}

/**
 * The refresh cycle, whole. One refresh at a time in this process, every caller sharing it; after a failure
 * none starts before the backoff (`retryDelay`) has passed. Across the fleet, only the holder of the store's
 * lease asks the vendor: it re-reads the store once it has the lease (another holder may have refreshed
 * already), chooses the grant (a usable refresh token, else the client credentials, else the user must
 * authorise again), counts the request against the daily budget, commits the answer before anyone gets it, and
 * gives up before its lease could run out under it. The others wait for the holder's result and adopt it.
 */
export class Refresh<Raw> {
  readonly #settings: RefreshSettings<Raw>;
  #inflight?: Promise<StoredToken>;
  #failures = 0;
  #retryAt = Number.NEGATIVE_INFINITY;
  /** When the last failure was recorded: a clock set back before it ends the backoff rather than stretching it. */
  #failedAt = Number.NEGATIVE_INFINITY;
  #lastError?: TokenError;
  /** A refresh token the vendor rejected: never sent again. */
  #deadRefreshToken?: string;

  constructor(settings: RefreshSettings<Raw>) {
    this.#settings = settings;
  }

  /** The refresh in flight, if any. */
  get inflight(): Promise<StoredToken> | undefined {
    return this.#inflight;
  }

  /** Whether a new refresh may start at `now`: none in flight, and the backoff has passed. */
  mayStart(now: number): boolean {
    return this.#inflight === undefined && !this.#waiting(now);
  }

  /** The last failure, while the backoff still forbids a new attempt and none is in flight. */
  backingOff(now: number): TokenError | undefined {
    return this.#inflight === undefined && this.#waiting(now) ? this.#lastError : undefined;
  }

  #waiting(now: number): boolean {
    return now < this.#retryAt && now >= this.#failedAt;
  }

  /**
   * Starts a refresh, or joins the one in flight. The outcome is recorded and the in-flight slot freed before
   * any event is emitted, so a listener that reacts at once sees a settled provider. The refresh runs inside the
   * `refresh` tracing channel, which sees its source and expiry, never the token.
   */
  run(background: boolean): Promise<StoredToken> {
    if (this.#inflight !== undefined) return this.#inflight;
    const { report, clock, policy, random, closing } = this.#settings;
    let stored: StoredToken | undefined;
    const traced = report.traceRefresh(background, async () => {
      try {
        const refreshed = await this.#underLease();
        stored = refreshed.stored;
        return { source: refreshed.source, expiresAt: refreshed.stored.token.expiresAt };
      } catch (error) {
        // The trace's `error` is a TokenError, like the caller's.
        throw this.#asTokenError(error);
      }
    });
    this.#inflight = traced.then(
      (result) => {
        this.#inflight = undefined;
        this.#failures = 0;
        this.#retryAt = Number.NEGATIVE_INFINITY;
        this.#lastError = undefined;
        report.refreshSettled({ background, result });
        return stored!;
      },
      (thrown: unknown) => {
        this.#inflight = undefined;
        const error = this.#asTokenError(thrown);
        if (closing.aborted) throw error;
        this.#failures += 1;
        this.#failedAt = clock.now();
        this.#retryAt = this.#failedAt + retryDelay(this.#failures, policy, random, error.retryAfterMs);
        this.#lastError = error;
        report.refreshSettled({ background, error, retryAt: this.#retryAt });
        throw error;
      },
    );
    return this.#inflight;
  }

  /** A new token, obtained here under the lease or adopted from the holder that had it. */
  async #underLease(): Promise<{ stored: StoredToken; source: 'vendor' | 'store' }> {
    const { store, key, leaseMs, vendor, closing, clock, report, mirror } = this.#settings;
    for (let waits = 0; ; waits++) {
      closing.throwIfAborted();
      let lease: Lease | undefined;
      try {
        lease = await store.acquireLease(key, leaseMs);
      } catch (error) {
        mirror.storeFailed(error);
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
        throw new TokenError({ code: 'timeout', vendor, message: `Another process has held the refresh lease for "${key}" too long; it is safe to retry.` });
      }
      const seenVersion = mirror.current?.version ?? 0;
      const waitStart = clock.now();
      try {
        await store.waitForUpdate(key, seenVersion, leaseMs, closing);
      } catch (error) {
        // The store failed while another process held the lease: go on alone, as when the lease cannot be taken.
        report.publish('leaseWait', { waitedMs: clock.now() - waitStart, outcome: 'store_failed' });
        mirror.storeFailed(error);
        return this.#obtainAndCommit();
      }
      await mirror.read(true);
      const current = mirror.current;
      const updated = current !== undefined && current.version !== seenVersion;
      report.publish('leaseWait', { waitedMs: clock.now() - waitStart, outcome: closing.aborted ? 'aborted' : updated ? 'updated' : 'timeout' });
      if (updated && mirror.usable(current, clock.now())) return { stored: current, source: 'store' };
    }
  }

  /** Under the lease: re-read (another holder may have refreshed already), then ask the vendor and commit. */
  async #obtainAndCommit(): Promise<{ stored: StoredToken; source: 'vendor' | 'store' }> {
    const { clock, policy, closing, mirror, key, vendor, leaseMs } = this.#settings;
    await mirror.read(true);
    closing.throwIfAborted();
    const current = mirror.current;
    if (mirror.usable(current, clock.now()) && tokenState(current, clock.now(), policy) === 'fresh') return { stored: current, source: 'store' };
    const obtainedAt = clock.now();
    // Abandoned shortly before the lease could run out — even if the call ignores its signal — so that no other
    // process takes the lease over while this one still works (and spends the same refresh token). The margin
    // is a tenth of the lease, at most 5 seconds; real time, since the lease expires in the store's time.
    const budgetMs = leaseMs - Math.min(5_000, leaseMs / 10);
    const token = await withDeadline((signal) => this.#obtain(current?.token as TokenSet<Raw> | undefined, signal), {
      ms: budgetMs,
      signal: closing,
      timeout: () =>
        new TokenError({
          code: 'timeout',
          vendor,
          message: `The token call for "${key}" took longer than its ${budgetMs} ms share of the refresh lease and was abandoned; it is safe to retry.`,
        }),
    });
    // A token call that settles after close() must not reach the local copy or the store.
    closing.throwIfAborted();
    mirror.vouchedFor(token.accessToken);
    const stored = await mirror.commit(current?.version ?? 0, token, obtainedAt);
    // Committed first: a rotated refresh token in the answer is kept even when its access token is useless.
    if (!mirror.usable(stored, clock.now())) {
      // Already expired on arrival (a past `expiresAt`, a skew correction gone wrong): handed out, it would make
      // every call refresh again, a request per call; as a failure it is retried with backoff.
      throw new TokenError({
        code: 'invalid_response',
        vendor,
        message: `The token obtained for "${key}" was already expired on arrival (expiresAt ${new Date(token.expiresAt).toISOString()}, now ${new Date(clock.now()).toISOString()}); check the vendor's expiry fields and this machine's clock.`,
      });
    }
    return { stored, source: 'vendor' };
  }

  /**
   * The grant choice: a new token set in place of `current` (the stored one, if any). A refresh token the
   * vendor refused is remembered and never sent again; each request is counted against the daily budget
   * first, and not sent once it is spent.
   */
  async #obtain(current: TokenSet<Raw> | undefined, signal: AbortSignal): Promise<TokenSet<Raw>> {
    const { key, vendor, clock, quota, sources } = this.#settings;
    const { refresh, requestToken } = sources;
    const refreshToken = current?.refreshToken;
    const refreshUsable =
      refreshToken !== undefined &&
      refreshToken !== this.#deadRefreshToken &&
      (current?.refreshExpiresAt === undefined || current.refreshExpiresAt > clock.now());
    let rejection: TokenError | undefined;
    if (refresh && refreshUsable) {
      await quota?.spend();
      try {
        return keepRefreshToken(await refresh(refreshToken, signal), refreshToken, current?.refreshExpiresAt);
      } catch (error) {
        if (!(error instanceof TokenError && error.code === 'invalid_grant')) throw error;
        this.#deadRefreshToken = refreshToken;
        rejection = error;
      }
    }
    if (requestToken) {
      await quota?.spend();
      return requestToken(signal);
    }
    throw new TokenError({
      code: 'reauthorization_required',
      vendor,
      message: rejection
        ? `The refresh token for "${key}" was rejected; the user must authorise the application again.`
        : `There is no usable refresh token for "${key}"; the user must authorise the application again.`,
      cause: rejection,
    });
  }

  #asTokenError(error: unknown): TokenError {
    if (error instanceof TokenError) return error;
    const { key, vendor } = this.#settings;
    return new TokenError({
      code: 'invalid_response',
      vendor,
      message: `The token source for "${key}" failed with a ${error instanceof Error ? error.name : typeof error}, not a TokenError.`,
      cause: error,
    });
  }
}
