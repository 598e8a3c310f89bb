/**
 * The contract callers rely on, as types: the token set every vendor turns its answer into, the clock
 * everything is measured on, and the provider with its options, events and logger.
 */
import type { RefreshPolicy } from './refresh-policy.js';
import type { TokenError } from './token-error.js';
import type { TokenStore } from './token-store.js';

/**
 * A vendor's token response, normalised. Every vendor package turns its own response shape into this.
 *
 * @typeParam Raw - the vendor's response body type (each vendor package narrows it).
 */
export interface TokenSet<Raw = unknown> {
  /** The bearer credential to send as `Authorization: <tokenType> <accessToken>`. */
  accessToken: string;
  /** Lower-case token type; `"bearer"` when the vendor says nothing. */
  tokenType: string;
  /** When the access token stops working: epoch milliseconds on the local clock. */
  expiresAt: number;
  /** The refresh token, for vendors that issue one. */
  refreshToken?: string;
  /** When the refresh token stops working, epoch milliseconds on the local clock, when the vendor says. */
  refreshExpiresAt?: number;
  /** The granted scopes, when the vendor says. */
  scope?: string[];
  /** The vendor's response body, as received. */
  raw: Raw;
}

/** A source of the current time, injectable so that tests never sleep. */
export interface Clock {
  /** Epoch milliseconds, like `Date.now()`. */
  now(): number;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now() };

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
  | { type: 'store_corrupt'; key: string; reason: string }
  /**
   * One answered `getToken()`/`getAccessToken()`: `hit` is `true` when a valid token was served without waiting
   * for a refresh (from this process's copy or the store), `false` when the caller waited for a new one.
   */
  | { type: 'token_served'; key: string; hit: boolean }
  /** The day's count of token requests reached 80 % of `dailyBudget` (once a day). */
  | { type: 'quota_warning'; key: string; used: number; budget: number; resetsAt: number }
  /** The day's `dailyBudget` is spent: no token request is sent before `resetsAt` (once a day). */
  | { type: 'quota_exhausted'; key: string; used: number; budget: number; resetsAt: number };

/**
 * A logger the provider writes to: console, pino, or anything with these four methods. Each call is
 * `logger[level](fields, message)` — fields first, as pino wants; console prints both. Fields are keys, codes,
 * counts and times, never a token or a secret.
 */
export interface TokenLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Options of one {@link TokenProvider.getToken} call. */
export interface GetTokenOptions {
  /**
   * Abandons this caller's wait: the call rejects with a `TokenError` of code `aborted`. The shared refresh
   * other callers wait on is not cancelled.
   */
  signal?: AbortSignal;
}

/** Options of `createTokenProvider`. Every duration is in milliseconds. */
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
  /** Where tokens are kept. Default: a new `MemoryStore`. */
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
  /**
   * The longest one store call may take before it counts as a store outage (the provider then goes on with its
   * own copy). Default 5 seconds. Not applied to the `MemoryStore`, which answers at once.
   */
  storeTimeoutMs?: number;
  /** The API the token is for: `bearerAuth` sends the token to URLs under it and nowhere else. */
  baseUrl?: string;
  /** Receives {@link TokenProviderEvent}s (refreshes, failures, store outages, quota, answers). Must not throw. */
  onEvent?: (event: TokenProviderEvent) => void;
  /** Where the provider logs (refreshes, failures, store and quota changes). Default: silent. */
  logger?: TokenLogger;
  /**
   * Token requests a day for this credential. Counted fleet-wide through the store's `increment` (the
   * `MemoryStore` and `RedisStore` have it), by this provider alone for a store without it. At the budget no
   * request is sent until the day ends: a valid token is still served, callers that need a new one get
   * `quota_exhausted` with `retryAfterMs`. Default: no budget.
   */
  dailyBudget?: number;
  /** Where the quota day begins: an offset (`+08:00`, `Z`) or an IANA zone (`Asia/Shanghai`). Default `+08:00`, the vendors' zone. */
  quotaTimeZone?: string;
  /** Names the quota counter; providers with one `quotaKey` share one budget (e.g. all users of one app). Default: `key`. */
  quotaKey?: string;
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
