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
  readonly #lease: { run(): Promise<StoredToken> };
  #inflight?: Promise<StoredToken>;
  #failures = 0;
  #retryAt = Number.NEGATIVE_INFINITY;
  #lastError?: TokenError;

  constructor(context: ProviderContext, lease: { run(): Promise<StoredToken> }) {
    this.#context = context;
    this.#lease = lease;
  }

  /** The refresh in flight, if any. */
  get inflight(): Promise<StoredToken> | undefined {
    return this.#inflight;
  }

  /** Whether a new refresh may start at `now`: none in flight, and the backoff has passed. */
  mayStart(now: number): boolean {
    return this.#inflight === undefined && now >= this.#retryAt;
  }

  /** The last failure, while the backoff still forbids a new attempt and none is in flight. */
  backingOff(now: number): TokenError | undefined {
    return this.#inflight === undefined && now < this.#retryAt ? this.#lastError : undefined;
  }

  /**
   * Starts a refresh, or joins the one in flight. The outcome is recorded and the in-flight slot freed before
   * any event is emitted, so a listener that reacts at once sees a settled provider.
   */
  run(background: boolean): Promise<StoredToken> {
    this.#inflight ??= this.#lease.run().then(
      (stored) => this.#succeeded(stored, background),
      (thrown: unknown) => this.#failed(thrown, background),
    );
    return this.#inflight;
  }

  #succeeded(stored: StoredToken, background: boolean): StoredToken {
    this.#inflight = undefined;
    this.#failures = 0;
    this.#retryAt = Number.NEGATIVE_INFINITY;
    this.#lastError = undefined;
    this.#context.report.emit({ type: 'token_refreshed', key: this.#context.key, expiresAt: stored.token.expiresAt, background });
    return stored;
  }

  #failed(thrown: unknown, background: boolean): never {
    const { clock, policy, random, key, closing, report } = this.#context;
    this.#inflight = undefined;
    const error = this.#asTokenError(thrown);
    if (closing.aborted) throw error;
    this.#failures += 1;
    this.#retryAt = clock.now() + retryDelay(this.#failures, policy, random, error.retryAfterMs);
    this.#lastError = error;
    report.emit({ type: 'refresh_failed', key, error, background, retryAt: this.#retryAt });
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
