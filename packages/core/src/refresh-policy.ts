import type { StoredToken } from './token-store.js';

/**
 * The refresh policy, whole: when a cached token is fresh, when it is refreshed in the background while
 * still being served, when callers must wait for a new one, and how failures back off.
 *
 *   obtainedAt ─────────────── fresh ───────────────┬─ refresh ahead ─┬─ expired ─ expiresAt
 *                                                refreshAt        usableUntil
 *
 * - fresh: served from memory, no I/O.
 * - refresh ahead: still served at once; one background refresh runs (per fleet, with a shared store).
 * - expired: callers wait for the single in-flight refresh, and see its error if it fails.
 */
export interface RefreshPolicy {
  /**
   * How long before expiry the background refresh starts. Default 3 minutes: long enough for several
   * retries of a failing vendor before anyone waits, and inside dushu's 5-minute window in which the old and
   * new tokens are both valid — so a process still serving the old token is never serving a dead one.
   * Capped at a quarter of the token's lifetime, so short-lived tokens are not refreshed almost at once.
   */
  refreshWindowMs: number;
  /**
   * A token this close to expiry is treated as expired. Default 30 seconds: a token handed out with one
   * second left dies in flight. Capped at a tenth of the token's lifetime.
   */
  expiryMarginMs: number;
  /**
   * How often a process re-reads the store while its own copy is fresh. Default 60 seconds: with a shared
   * store, a token replaced by another process is not served for longer than this (well inside dushu's
   * 5-minute overlap); with the memory store it keeps providers that share one store in step.
   */
  revalidateMs: number;
  /** First retry delay after a failed refresh. Default 1 second. */
  backoffInitialMs: number;
  /** Longest retry delay. Default 60 seconds: a down vendor is retried about once a minute, never in a loop. */
  backoffMaxMs: number;
  /**
   * Least time between two refreshes forced by `invalidate()`. Default 30 seconds: an API that answers 401 to
   * every token must not be able to burn a vendor's daily token quota.
   */
  forcedRefreshIntervalMs: number;
  /**
   * How long before expiry the vendor starts issuing a new token. Asked earlier, several vendors hand back the
   * token they already issued, with the lifetime it has left: WeChat's stable token outside its last 5 minutes,
   * Feishu while 30 minutes or more remain, WeCom and DingTalk until it expires (`0`). Refresh-ahead is placed
   * inside this window — never earlier, where it would only get the same token back, and again, and again — and
   * a token is not treated as expired while the vendor would still hand it back. Default `Infinity`: the vendor
   * issues a new token whenever asked. A vendor package sets it; callers need not.
   */
  renewalWindowMs: number;
}

/** The defaults, each explained on {@link RefreshPolicy}. */
export const DEFAULT_REFRESH_POLICY: Readonly<RefreshPolicy> = Object.freeze({
  refreshWindowMs: 3 * 60_000,
  expiryMarginMs: 30_000,
  revalidateMs: 60_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  forcedRefreshIntervalMs: 30_000,
  renewalWindowMs: Number.POSITIVE_INFINITY,
});

/** Where a stored token stands at time `now`. */
export type TokenState = 'fresh' | 'refresh-ahead' | 'expired';

/**
 * The two instants that divide a token's life (see the diagram on {@link RefreshPolicy}). Both lie inside the
 * vendor's renewal window: a token handed back early (its lifetime then is only what was left) is refreshed where
 * the vendor will issue a new one, and a vendor that renews only at expiry (`renewalWindowMs: 0`) has its token
 * served to the end and replaced then — asking earlier would only get the same token back.
 */
export function tokenTimeline(stored: StoredToken, policy: RefreshPolicy): { refreshAt: number; usableUntil: number } {
  const { expiresAt } = stored.token;
  const lifetime = Math.max(0, expiresAt - stored.obtainedAt);
  const renewal = policy.renewalWindowMs ?? Number.POSITIVE_INFINITY;
  const usableUntil = expiresAt - Math.min(policy.expiryMarginMs, lifetime / 10, renewal);
  const refreshAt = Math.min(usableUntil, expiresAt - Math.min(policy.refreshWindowMs, lifetime / 4, renewal));
  return { refreshAt, usableUntil };
}

/** Whether `stored` is fresh, due for a background refresh, or too close to expiry to hand out. */
export function tokenState(stored: StoredToken, now: number, policy: RefreshPolicy): TokenState {
  const { refreshAt, usableUntil } = tokenTimeline(stored, policy);
  if (now >= usableUntil) return 'expired';
  return now >= refreshAt ? 'refresh-ahead' : 'fresh';
}

/**
 * The longest a vendor's `Retry-After` is obeyed: 5 minutes, or `backoffMaxMs` when that is longer. A 429 that
 * asks for a year (or a date in 2099) must not wedge a provider until the process restarts; a vendor that
 * really is down for longer is simply asked again every few minutes, which no daily quota notices.
 */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * How long to wait before the next attempt after `failures` consecutive failures: exponential from
 * `backoffInitialMs` up to `backoffMaxMs`, with "equal jitter" (half fixed, half random) so a fleet that failed
 * together does not retry together — and never sooner than the vendor's `Retry-After`, clamped to
 * {@link MAX_RETRY_AFTER_MS} (or `backoffMaxMs` if longer).
 */
export function retryDelay(failures: number, policy: RefreshPolicy, random: () => number, retryAfterMs = 0): number {
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffInitialMs * 2 ** Math.max(0, failures - 1));
  const obeyed = Math.min(retryAfterMs, Math.max(policy.backoffMaxMs, MAX_RETRY_AFTER_MS));
  return Math.max(obeyed, ceiling / 2 + random() * (ceiling / 2));
}
