/**
 * What core reports through `node:diagnostics_channel`: the names of its channels, the messages they carry, and
 * the one place a provider publishes them — its `onEvent` and `logger` are fed from the same messages.
 * Subscribe with `diagnostics_channel.subscribe(name, …)` or `diagnostics_channel.tracingChannel(name)`; nothing
 * is published, and nothing costs more than a `hasSubscribers` check, while nobody listens.
 *
 * No message carries a secret: no access token, refresh token, code or client secret, and errors are
 * `TokenError`s, whose renderings are redacted.
 */
import type { TokenLogger, TokenProviderEvent } from './contract.js';
import { channel, tracingChannel } from './runtime-builtins.js';
import type { TokenError } from './token-error.js';

/** The channel names, all under `token-clients:`. */
export const CHANNELS = {
  /** Tracing channel around each token request to a vendor (every grant). Context: {@link TokenRequestContext}. */
  request: 'token-clients:request',
  /** Tracing channel around each refresh a provider makes (under the lease). Context: {@link RefreshContext}. */
  refresh: 'token-clients:refresh',
  /** Each `getToken()`/`getAccessToken()` a provider answers: {@link CacheMessage}. */
  cache: 'token-clients:cache',
  /** Each wait for another process's refresh (the lease held elsewhere): {@link LeaseWaitMessage}. */
  leaseWait: 'token-clients:lease-wait',
  /** The store became unavailable, recovered, or held a record that could not be read: {@link StoreMessage}. */
  store: 'token-clients:store',
  /** The daily budget of token requests: {@link QuotaMessage}. */
  quota: 'token-clients:quota',
} as const;

/**
 * The context of a `token-clients:request` trace. On `asyncEnd` the tracing channel adds `result` (the
 * {@link TokenRequestResult}) or, on `error`, `error` (a `TokenError`).
 */
export interface TokenRequestContext {
  /** The vendor's name (`dushu`, `wps`, …). */
  vendor: string;
  /** The OAuth grant (`client_credentials`, `authorization_code`, `refresh_token`) or the vendor's own name for it. */
  grant: string;
  /** The token endpoint's URL without its query string (which can hold a secret). */
  url: string;
  /** The HTTP method. */
  method: string;
  result?: TokenRequestResult;
  error?: TokenError;
}

/** What a finished token request reports: never the token itself. */
export interface TokenRequestResult {
  /** The HTTP status of the vendor's answer. */
  status: number;
  /** The vendor's request id, when it sent one. */
  requestId?: string;
  /** When the issued access token expires, epoch ms on the local clock. */
  expiresAt: number;
}

/** The context of a `token-clients:refresh` trace. `result` or `error` is added at the end. */
export interface RefreshContext {
  /** The provider's store key (names the credential; not a secret). */
  key: string;
  /** The vendor's name, or `core`. */
  vendor: string;
  /** Whether the refresh ran ahead of expiry while callers were served the still-valid token. */
  background: boolean;
  result?: RefreshResult;
  error?: TokenError;
}

/** What a finished refresh reports. */
export interface RefreshResult {
  /** `vendor` when this process asked the vendor; `store` when another process's refresh was adopted. */
  source: 'vendor' | 'store';
  /** When the new access token expires, epoch ms. */
  expiresAt: number;
}

/** One answered `getToken()`. */
export interface CacheMessage {
  key: string;
  vendor: string;
  /** `true` when a still-valid token was served without waiting for a refresh. */
  hit: boolean;
}

/** One wait for another process's refresh. */
export interface LeaseWaitMessage {
  key: string;
  vendor: string;
  /** How long the wait lasted, ms. */
  waitedMs: number;
  /** Why it ended. */
  outcome: 'updated' | 'timeout' | 'aborted' | 'store_failed';
}

/** A change in the store's state as one provider sees it. */
export interface StoreMessage {
  key: string;
  vendor: string;
  state: 'unavailable' | 'recovered' | 'corrupt';
  /** What the store said, when it failed (an `Error`, never holding a token). */
  error?: unknown;
  /** Why the record is called corrupt (state `corrupt`): a sentence naming no token. */
  reason?: string;
}

/** The daily budget of token requests of one credential. */
export interface QuotaMessage {
  key: string;
  vendor: string;
  /** `warning` once the count passes the warning threshold; `exhausted` at the budget. */
  state: 'warning' | 'exhausted';
  /** Token requests counted so far today (fleet-wide with a shared store). */
  used: number;
  /** The daily budget. */
  budget: number;
  /** When the count resets, epoch ms. */
  resetsAt: number;
}

/** What each plain channel of {@link CHANNELS} carries, by its key. */
export interface ChannelMessages {
  cache: CacheMessage;
  leaseWait: LeaseWaitMessage;
  store: StoreMessage;
  quota: QuotaMessage;
}

/** The context of each tracing channel of {@link CHANNELS}, by its key. */
export interface TraceContexts {
  request: TokenRequestContext;
  refresh: RefreshContext;
}

// Made once per process: a channel is looked up by name, and `hasSubscribers` is all a silent one costs.
const refreshChannel = tracingChannel<RefreshResult, RefreshContext>(CHANNELS.refresh);
const publishers = {
  cache: channel(CHANNELS.cache),
  leaseWait: channel(CHANNELS.leaseWait),
  store: channel(CHANNELS.store),
  quota: channel(CHANNELS.quota),
};
const cacheChannel = publishers.cache;

/** A finished refresh as the provider's own audiences see it: the trace's outcome, and when it is retried. */
export type RefreshOutcome = Pick<RefreshContext, 'background' | 'result' | 'error'> & { retryAt?: number };

/** What a report says, without who says it (the reporter adds the key and vendor). */
type Report<Name extends keyof ChannelMessages> = Omit<ChannelMessages[Name], 'key' | 'vendor'>;

/**
 * Where one provider reports what it does. Each report is one message, published on its channel (when anyone
 * subscribes); the caller's `onEvent` and `logger` get what {@link eventOf} and {@link logLineOf} read from that
 * same message, so the three audiences cannot disagree. Nothing reported carries a secret: keys, codes, counts
 * and times only.
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

  /** Publishes one report on its channel, and to this provider's `onEvent` and `logger`. */
  publish<Name extends keyof ChannelMessages>(name: Name, report: Report<Name>): void {
    const message = { key: this.#key, vendor: this.#vendor, ...report } as ChannelMessages[Name];
    const published = publishers[name];
    if (published.hasSubscribers) published.publish(message);
    if (this.#onEvent !== undefined || this.#logger !== undefined) this.#feed({ name, message } as Published);
  }

  /** Runs one refresh inside the `refresh` tracing channel (when anyone subscribes). */
  traceRefresh(background: boolean, run: () => Promise<RefreshResult>): Promise<RefreshResult> {
    if (!refreshChannel.hasSubscribers) return run();
    return refreshChannel.tracePromise(run, { key: this.#key, vendor: this.#vendor, background } satisfies RefreshContext);
  }

  /** A refresh is over: the tracing channel has seen it; `onEvent` and the logger get the same outcome. */
  refreshSettled(outcome: RefreshOutcome): void {
    if (this.#onEvent !== undefined || this.#logger !== undefined) {
      this.#feed({ name: 'refresh', message: { key: this.#key, vendor: this.#vendor, ...outcome } });
    }
  }

  #feed(published: Published): void {
    const line = this.#logger && logLineOf(published);
    if (line) {
      try {
        // Fields first, message second: pino merges the object, console prints both.
        this.#logger![line.level]({ key: this.#key, vendor: this.#vendor, ...line.fields }, `token-clients: ${line.message}`);
      } catch {
        // A faulty logger must not break token refreshes.
      }
    }
    const event = this.#onEvent && eventOf(published);
    if (event) {
      try {
        this.#onEvent!(event);
      } catch {
        // A faulty listener must not break token refreshes.
      }
    }
  }
}

/** One message as a provider published it: its channel's name, and what it carried. */
type Published =
  | { [Name in keyof ChannelMessages]: { name: Name; message: ChannelMessages[Name] } }[keyof ChannelMessages]
  | { name: 'refresh'; message: RefreshContext & { retryAt?: number } };

/** The `onEvent` event a published message amounts to, if any. */
function eventOf({ name, message }: Published): TokenProviderEvent | undefined {
  const { key } = message;
  switch (name) {
    case 'cache':
      return { type: 'token_served', key, hit: message.hit };
    case 'refresh':
      return message.error
        ? { type: 'refresh_failed', key, error: message.error, background: message.background, retryAt: message.retryAt! }
        : { type: 'token_refreshed', key, expiresAt: message.result!.expiresAt, background: message.background };
    case 'store':
      if (message.state === 'unavailable') return { type: 'store_unavailable', key, error: message.error };
      return message.state === 'recovered' ? { type: 'store_recovered', key } : { type: 'store_corrupt', key, reason: message.reason! };
    case 'quota': {
      const { used, budget, resetsAt } = message;
      return { type: message.state === 'warning' ? 'quota_warning' : 'quota_exhausted', key, used, budget, resetsAt };
    }
    case 'leaseWait':
      return undefined;
  }
}

/** The log line a published message amounts to, if any: codes, counts and times, never an error's text. */
function logLineOf({ name, message }: Published): { level: keyof TokenLogger; message: string; fields: Record<string, unknown> } | undefined {
  switch (name) {
    case 'cache':
      return undefined;
    case 'refresh': {
      const { background, error, result, retryAt } = message;
      return error
        ? { level: 'warn', message: 'token refresh failed', fields: { code: error.code, retryable: error.retryable, background, retryAt } }
        : { level: 'info', message: 'token refreshed', fields: { expiresAt: result!.expiresAt, background, source: result!.source } };
    }
    case 'leaseWait':
      return { level: 'debug', message: 'waited for another process’s refresh', fields: { waitedMs: message.waitedMs, outcome: message.outcome } };
    case 'store':
      if (message.state === 'unavailable') {
        return { level: 'warn', message: 'token store unavailable; working on this process’s copy', fields: { error: errorName(message.error) } };
      }
      if (message.state === 'recovered') return { level: 'info', message: 'token store recovered', fields: {} };
      return { level: 'error', message: 'token store holds a record that can be neither read nor replaced', fields: { reason: message.reason } };
    case 'quota': {
      const { used, budget, resetsAt } = message;
      return message.state === 'warning'
        ? { level: 'warn', message: 'daily token budget nearly spent', fields: { used, budget, resetsAt } }
        : { level: 'error', message: 'daily token budget spent; no token request before it resets', fields: { used, budget, resetsAt } };
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
