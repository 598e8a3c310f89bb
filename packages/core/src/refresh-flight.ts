import type { RefreshResult } from './diagnostics.js';
import type { Refreshed } from './lease-refresh.js';
import type { ProviderContext } from './provider-context.js';
import { retryDelay } from './refresh-policy.js';
import { TokenError } from './token-error.js';
import type { StoredToken } from './token-store.js';

/**
 * Single flight in this process, with backoff: every caller shares the one refresh in flight, and after a
 * failure no new one starts before the backoff (see `retryDelay` in `refresh-policy.ts`) has passed.
 */
export class RefreshFlight {
  readonly #context: ProviderContext;
  /** The fleet-wide refresh (`LeaseRefresh`). */
  readonly #lease: { run(): Promise<Refreshed> };
  #inflight?: Promise<StoredToken>;
  #failures = 0;
  #retryAt = Number.NEGATIVE_INFINITY;
  /** When the last failure was recorded: a clock set back before it ends the backoff rather than stretching it. */
  #failedAt = Number.NEGATIVE_INFINITY;
  #lastError?: TokenError;

  constructor(context: ProviderContext, lease: { run(): Promise<Refreshed> }) {
    this.#context = context;
    this.#lease = lease;
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
    if (this.#inflight === undefined) {
      let stored: StoredToken | undefined;
      const traced = this.#context.report.traceRefresh(background, async (): Promise<RefreshResult> => {
        let refreshed: Refreshed;
        try {
          refreshed = await this.#lease.run();
        } catch (error) {
          // The trace's `error` is a TokenError, like the caller's.
          throw this.#asTokenError(error);
        }
        stored = refreshed.stored;
        return { source: refreshed.source, expiresAt: refreshed.stored.token.expiresAt };
      });
      this.#inflight = traced.then(
        (result) => this.#succeeded(stored!, result, background),
        (thrown: unknown) => this.#failed(thrown, background),
      );
    }
    return this.#inflight;
  }

  #succeeded(stored: StoredToken, result: RefreshResult, background: boolean): StoredToken {
    this.#inflight = undefined;
    this.#failures = 0;
    this.#retryAt = Number.NEGATIVE_INFINITY;
    this.#lastError = undefined;
    this.#context.report.refreshed(result, background);
    return stored;
  }

  #failed(thrown: unknown, background: boolean): never {
    const { clock, policy, random, closing, report } = this.#context;
    this.#inflight = undefined;
    const error = this.#asTokenError(thrown);
    if (closing.aborted) throw error;
    this.#failures += 1;
    this.#failedAt = clock.now();
    this.#retryAt = this.#failedAt + retryDelay(this.#failures, policy, random, error.retryAfterMs);
    this.#lastError = error;
    report.refreshFailed(error, background, this.#retryAt);
    throw error;
  }

  #asTokenError(error: unknown): TokenError {
    if (error instanceof TokenError) return error;
    return new TokenError({
      code: 'invalid_response',
      vendor: this.#context.vendor,
      message: `The token source for "${this.#context.key}" failed with a ${error instanceof Error ? error.name : typeof error}, not a TokenError.`,
      cause: error,
    });
  }
}
