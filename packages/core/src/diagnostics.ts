/**
 * What core reports through `node:diagnostics_channel`: the names of its channels and the messages they carry.
 * Subscribe with `diagnostics_channel.subscribe(name, …)` or `diagnostics_channel.tracingChannel(name)`; nothing
 * is published, and nothing costs more than a `hasSubscribers` check, while nobody listens.
 *
 * No message carries a secret: no access token, refresh token, code or client secret, and errors are
 * `TokenError`s, whose renderings are redacted.
 */
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
