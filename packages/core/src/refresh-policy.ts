import type { Clock } from './contract.js';
import type { ProviderReporter } from './diagnostics.js';
import type { StoredToken, TokenStore } from './token-store.js';
import { TokenError } from './token-error.js';

/**
 * The refresh policy, whole: when a cached token is fresh, when it is refreshed in the background while
 * still being served, when callers must wait for a new one, how failures back off — and, with a daily budget,
 * whether a token request may be sent at all (below).
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
   * How long before expiry the vendor issues a new token; asked earlier, it hands back the one it issued (WeChat's
   * stable token: 5 min, Feishu: 30 min, WeCom and DingTalk: `0`, only at expiry). Refresh-ahead and the expiry
   * margin stay inside it, so no request can only get the same token back. Default `Infinity` (a new token
   * whenever asked); a vendor package sets it.
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
 * The two instants that divide a token's life (see the diagram on {@link RefreshPolicy}), both inside the vendor's
 * renewal window: with `renewalWindowMs: 0` a token is served to its expiry and replaced then.
 */
export function tokenTimeline(stored: StoredToken, policy: RefreshPolicy): { refreshAt: number; usableUntil: number } {
  const { expiresAt } = stored.token;
  const lifetime = Math.max(0, expiresAt - stored.obtainedAt);
  const usableUntil = expiresAt - Math.min(policy.expiryMarginMs, lifetime / 10, policy.renewalWindowMs);
  const refreshAt = Math.min(usableUntil, expiresAt - Math.min(policy.refreshWindowMs, lifetime / 4, policy.renewalWindowMs));
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

// ── The daily budget: whether a token request may be sent at all ──────────────────────────────────────────────

/** The warning is given once a day, when the count reaches this share of the budget. */
export const QUOTA_WARNING_SHARE = 0.8;

/** What a provider's quota works with: who it counts for, where, and where it reports. */
export interface QuotaOwner {
  key: string;
  vendor: string;
  clock: Clock;
  /** The provider's (bounded) store: its `increment` counts fleet-wide. */
  store: TokenStore;
  report: ProviderReporter;
  /** Told when the store fails to count (the provider then counts alone). */
  storeFailed(error: unknown): void;
}

/** How a provider counts its token requests against a daily budget. */
export interface QuotaSettings {
  /** Token requests a day for this credential. */
  dailyBudget: number;
  /** Where the day begins: a fixed offset (`+08:00`) or an IANA name. Default `+08:00`, the vendors' zone. */
  quotaTimeZone?: string;
  /** Names the counter; providers with the same `quotaKey` share one budget. Default: the provider's key. */
  quotaKey?: string;
}

/**
 * A daily budget of token requests. Each request to the vendor is counted first — fleet-wide through the
 * store's `increment` when it has one, by this provider alone otherwise — and refused once the day's count
 * would pass the budget: no upstream request is made, and the caller gets `quota_exhausted` with
 * `retryAfterMs` until the day ends.
 */
export class DailyQuota {
  readonly #owner: QuotaOwner;
  readonly #budget: number;
  readonly #counterKey: string;
  readonly #day: (now: number) => QuotaDay;
  /** Counts of this provider, for stores without `increment` (and while the store is down). */
  readonly #local = new Map<string, number>();
  /** The day already known to be spent: refused here, without asking the store again. */
  #spentDate?: string;
  #warnedDate?: string;
  #reportedDate?: string;

  constructor(owner: QuotaOwner, settings: QuotaSettings) {
    const { vendor, key } = owner;
    const { dailyBudget, quotaTimeZone = DEFAULT_QUOTA_TIME_ZONE, quotaKey = key } = settings;
    if (!Number.isSafeInteger(dailyBudget) || dailyBudget < 1) {
      throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: dailyBudget must be a whole number ≥ 1' });
    }
    const day = quotaCalendar(quotaTimeZone);
    if (day === undefined) {
      throw new TokenError({
        code: 'invalid_configuration',
        vendor,
        message: `createTokenProvider: quotaTimeZone must be an offset like "+08:00" or an IANA time zone like "Asia/Shanghai"`,
      });
    }
    if (typeof quotaKey !== 'string' || quotaKey.length === 0) {
      throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: quotaKey must be a non-empty string' });
    }
    this.#owner = owner;
    this.#budget = dailyBudget;
    this.#counterKey = quotaKey;
    this.#day = day;
  }

  /**
   * The `quota_exhausted` error, with `retryAfterMs` from `now`, when today's budget is known to be spent here;
   * counts nothing. Callers that need a new token get it rather than an older copy whose wait has gone stale.
   */
  refusal(): TokenError | undefined {
    const now = this.#owner.clock.now();
    const { date, resetsAt } = this.#day(now);
    return this.#spentDate === date ? this.#exhausted(now, resetsAt) : undefined;
  }

  /** Counts one token request, or throws `quota_exhausted` if today's budget is spent (the request must not be made). */
  async spend(): Promise<void> {
    const { clock, store, report } = this.#owner;
    const now = clock.now();
    const { date, resetsAt } = this.#day(now);
    if (this.#spentDate === date) throw this.#exhausted(now, resetsAt);
    const counter = `${this.#counterKey}:quota:${date}`;
    // The counter outlives the day by an hour: processes whose clocks differ a little still count into one.
    const ttlMs = resetsAt - now + 3_600_000;
    let used: number;
    try {
      used = store.increment ? await store.increment(counter, ttlMs) : this.#countHere(counter);
    } catch (error) {
      this.#owner.storeFailed(error);
      used = this.#countHere(counter);
    }
    const quota = { used: Math.min(used, this.#budget), budget: this.#budget, resetsAt };
    if (used >= this.#budget) {
      // From here on this process refuses without asking the store; the fleet's counter says the same to the others.
      this.#spentDate = date;
      if (this.#reportedDate !== date) {
        this.#reportedDate = date;
        report.publish('quota', { state: 'exhausted', ...quota });
      }
      if (used > this.#budget) throw this.#exhausted(now, resetsAt);
      return;
    }
    if (used >= Math.ceil(QUOTA_WARNING_SHARE * this.#budget) && this.#warnedDate !== date) {
      this.#warnedDate = date;
      report.publish('quota', { state: 'warning', ...quota });
    }
  }

  #countHere(counter: string): number {
    for (const name of this.#local.keys()) if (name !== counter) this.#local.delete(name);
    const used = (this.#local.get(counter) ?? 0) + 1;
    this.#local.set(counter, used);
    return used;
  }

  #exhausted(now: number, resetsAt: number): TokenError {
    return new TokenError({
      code: 'quota_exhausted',
      vendor: this.#owner.vendor,
      message: `Today's budget of ${this.#budget} token requests for "${this.#counterKey}" is spent; no request is sent before it resets.`,
      retryAfterMs: resetsAt - now,
    });
  }
}

// The day a daily quota counts in: its date and the instant it ends, in a time zone the user gives. The
// vendors reset their quotas at midnight in China (UTC+08:00), which is the default.

/** The default quota time zone: the vendors' own (China Standard Time, no daylight saving). */
export const DEFAULT_QUOTA_TIME_ZONE = '+08:00';

const DAY_MS = 86_400_000;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** One quota day: its date in the zone (`YYYY-MM-DD`, names the counter) and when it ends (epoch ms). */
export interface QuotaDay {
  date: string;
  resetsAt: number;
}

/**
 * Turns `timeZone` — a fixed offset (`+08:00`, `-0530`, `Z`, `UTC`) or an IANA name (`Asia/Shanghai`) — into a
 * function from an instant to its quota day. Returns `undefined` for a zone it does not know.
 */
export function quotaCalendar(timeZone: string): ((now: number) => QuotaDay) | undefined {
  if (timeZone === 'Z' || timeZone === 'UTC') return fixedOffsetDay(0);
  const match = OFFSET.exec(timeZone);
  if (match) {
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    if (Number(match[2]) > 14 || Number(match[3]) > 59) return undefined;
    return fixedOffsetDay((match[1] === '-' ? -minutes : minutes) * 60_000);
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return undefined;
  }
  const offsetAt = (instant: number): number => {
    const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    return wall - Math.floor(instant / 1000) * 1000;
  };
  return (now) => {
    const offset = offsetAt(now);
    const { date, resetsAt } = fixedOffsetDay(offset)(now);
    // Daylight saving can change the offset before midnight: take the offset in force at the next midnight.
    const later = offsetAt(resetsAt);
    return { date, resetsAt: resetsAt - (later - offset) };
  };
}

function fixedOffsetDay(offsetMs: number): (now: number) => QuotaDay {
  return (now) => {
    const day = Math.floor((now + offsetMs) / DAY_MS);
    return { date: new Date(day * DAY_MS).toISOString().slice(0, 10), resetsAt: (day + 1) * DAY_MS - offsetMs };
  };
}
