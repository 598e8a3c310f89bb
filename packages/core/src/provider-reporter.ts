import {
  CHANNELS,
  type CacheMessage,
  type LeaseWaitMessage,
  type QuotaMessage,
  type RefreshContext,
  type RefreshResult,
  type StoreMessage,
} from './diagnostics.js';
import { channel, tracingChannel } from './runtime-builtins.js';
import type { TokenError } from './token-error.js';
import type { TokenLogger, TokenProviderEvent } from './contract.js';

// Made once per process: a channel is looked up by name, and `hasSubscribers` is all a silent one costs.
const refreshChannel = tracingChannel<RefreshResult, RefreshContext>(CHANNELS.refresh);
const cacheChannel = channel(CHANNELS.cache);
const leaseWaitChannel = channel(CHANNELS.leaseWait);
const storeChannel = channel(CHANNELS.store);
const quotaChannel = channel(CHANNELS.quota);

/** The numbers of one quota report. */
export type QuotaNumbers = Pick<QuotaMessage, 'used' | 'budget' | 'resetsAt'>;

/**
 * Where one provider reports what it does, to three audiences at once: the caller's `onEvent`, the
 * `node:diagnostics_channel` channels of `diagnostics.ts`, and the caller's `logger`. Nothing reported carries
 * a secret: keys, codes, counts and times only. Nobody listening costs a `hasSubscribers` check per report.
 */
export class ProviderReporter {
  readonly #key: string;
  readonly #vendor: string;
  readonly #onEvent?: (event: TokenProviderEvent) => void;
  readonly #logger?: TokenLogger;

  constructor(key: string, vendor: string, onEvent?: (event: TokenProviderEvent) => void, logger?: TokenLogger) {
    this.#key = key;
    this.#vendor = vendor;
    if (onEvent !== undefined) this.#onEvent = onEvent;
    if (logger !== undefined) this.#logger = logger;
  }

  /** Whether anyone wants to know about each answered `getToken()`: checked on the fast path before anything is built. */
  get watchingAnswers(): boolean {
    return this.#onEvent !== undefined || cacheChannel.hasSubscribers;
  }

  /** One answered `getToken()`: `hit` when a valid token was served without waiting for a refresh. */
  answered(hit: boolean): void {
    if (cacheChannel.hasSubscribers) cacheChannel.publish({ key: this.#key, vendor: this.#vendor, hit } satisfies CacheMessage);
    this.#emit({ type: 'token_served', key: this.#key, hit });
  }

  /** Runs one refresh inside the `refresh` tracing channel (when anyone subscribes). */
  traceRefresh(background: boolean, run: () => Promise<RefreshResult>): Promise<RefreshResult> {
    if (!refreshChannel.hasSubscribers) return run();
    return refreshChannel.tracePromise(run, { key: this.#key, vendor: this.#vendor, background } satisfies RefreshContext);
  }

  /** A refresh succeeded (`token_refreshed`; logged at info). */
  refreshed(result: RefreshResult, background: boolean): void {
    this.#log('info', 'token refreshed', { expiresAt: result.expiresAt, background, source: result.source });
    this.#emit({ type: 'token_refreshed', key: this.#key, expiresAt: result.expiresAt, background });
  }

  /** A refresh failed (`refresh_failed`; logged at warn with the code, never the error's body). */
  refreshFailed(error: TokenError, background: boolean, retryAt: number): void {
    this.#log('warn', 'token refresh failed', { code: error.code, retryable: error.retryable, background, retryAt });
    this.#emit({ type: 'refresh_failed', key: this.#key, error, background, retryAt });
  }

  /** A wait for another process's refresh ended (`lease-wait` channel; logged at debug). */
  leaseWaited(waitedMs: number, outcome: LeaseWaitMessage['outcome']): void {
    if (leaseWaitChannel.hasSubscribers) {
      leaseWaitChannel.publish({ key: this.#key, vendor: this.#vendor, waitedMs, outcome } satisfies LeaseWaitMessage);
    }
    this.#log('debug', 'waited for another process’s refresh', { waitedMs, outcome });
  }

  /** The store stopped answering (`store_unavailable`; the log names the error, not its message). */
  storeUnavailable(error: unknown): void {
    if (storeChannel.hasSubscribers) storeChannel.publish({ key: this.#key, vendor: this.#vendor, state: 'unavailable', error } satisfies StoreMessage);
    this.#log('warn', 'token store unavailable; working on this process’s copy', { error: errorName(error) });
    this.#emit({ type: 'store_unavailable', key: this.#key, error });
  }

  /** The store answers again (`store_recovered`). */
  storeRecovered(): void {
    if (storeChannel.hasSubscribers) storeChannel.publish({ key: this.#key, vendor: this.#vendor, state: 'recovered' } satisfies StoreMessage);
    this.#log('info', 'token store recovered', {});
    this.#emit({ type: 'store_recovered', key: this.#key });
  }

  /** The store holds a record it reports absent yet will not replace (`store_corrupt`). */
  storeCorrupt(reason: string): void {
    if (storeChannel.hasSubscribers) storeChannel.publish({ key: this.#key, vendor: this.#vendor, state: 'corrupt', reason } satisfies StoreMessage);
    this.#log('error', 'token store holds a record that can be neither read nor replaced', { reason });
    this.#emit({ type: 'store_corrupt', key: this.#key, reason });
  }

  /** The daily budget neared or reached (`quota_warning` / `quota_exhausted`; warn / error). */
  quota(state: QuotaMessage['state'], numbers: QuotaNumbers): void {
    if (quotaChannel.hasSubscribers) quotaChannel.publish({ key: this.#key, vendor: this.#vendor, state, ...numbers } satisfies QuotaMessage);
    if (state === 'warning') this.#log('warn', 'daily token budget nearly spent', numbers);
    else this.#log('error', 'daily token budget spent; no token request before it resets', numbers);
    this.#emit({ type: state === 'warning' ? 'quota_warning' : 'quota_exhausted', key: this.#key, ...numbers });
  }

  #emit(event: TokenProviderEvent): void {
    try {
      this.#onEvent?.(event);
    } catch {
      // A faulty listener must not break token refreshes.
    }
  }

  #log(level: keyof TokenLogger, message: string, fields: Record<string, unknown>): void {
    if (this.#logger === undefined) return;
    try {
      // Fields first, message second: pino merges the object, console prints both.
      this.#logger[level]({ key: this.#key, vendor: this.#vendor, ...fields }, `token-clients: ${message}`);
    } catch {
      // A faulty logger must not break token refreshes.
    }
  }
}

/** What a store failure is called, without its message (which a custom store might fill with anything). */
function errorName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name} ${code}` : error.name;
  }
  return typeof error;
}
