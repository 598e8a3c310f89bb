import type { Clock } from './contract.js';
import type { ProviderReporter } from './provider-reporter.js';
import { TokenError } from './token-error.js';
import type { TokenStore } from './token-store.js';

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
        report.quota('exhausted', quota);
      }
      if (used > this.#budget) throw this.#exhausted(now, resetsAt);
      return;
    }
    if (used >= Math.ceil(QUOTA_WARNING_SHARE * this.#budget) && this.#warnedDate !== date) {
      this.#warnedDate = date;
      report.quota('warning', quota);
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
