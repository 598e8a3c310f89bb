import type { Clock, TokenSet } from './contract.js';
import type { ProviderReporter } from './diagnostics.js';
import { tokenState, tokenTimeline, type RefreshPolicy } from './refresh-policy.js';
import type { StoredToken, TokenStore } from './token-store.js';

/** What a mirror works with: the provider's store (bounded), key, clock, policy, closing signal and reporter. */
export interface MirrorSettings {
  key: string;
  store: TokenStore;
  clock: Clock;
  policy: Readonly<RefreshPolicy>;
  /** Aborted by `close()`, with the `closed` error as its reason. */
  closing: AbortSignal;
  report: ProviderReporter;
}

/** Compare-and-set attempts in one commit before the record is called corrupt: bounded whatever the store does. */
const MAX_COMMIT_ATTEMPTS = 3;

/**
 * This process's copy of the stored token, kept in step with the store: read often enough that a token
 * replaced elsewhere is not served for long, written with compare-and-set, and kept working — on its own copy —
 * while the store is down or holds a record it cannot read.
 *
 * Reading may commit (to publish a token the store lost or never got); committing never reads through here,
 * so the two cannot call each other. Whether the store answers is tracked here too, and each change reported
 * once (unavailable, recovered, corrupt), not on every failing call.
 */
export class StoreMirror {
  /** The local copy. */
  #local?: StoredToken;
  /** Until then the local copy is fresh (see `refresh-policy.ts`). */
  #refreshAt = Number.NEGATIVE_INFINITY;
  /** Until then the local copy is served without re-reading the store. */
  #recheckAt = Number.NEGATIVE_INFINITY;
  /** When `#recheckAt` was set: a clock set back before it makes the copy due at once, not after the jump's length. */
  #checkedAt = Number.POSITIVE_INFINITY;

  readonly #settings: MirrorSettings;
  /** The store failed its last call (reported once, until it answers again). */
  #down = false;
  /** The record was reported corrupt (once, until a write goes through). */
  #corruptReported = false;
  /** The local copy was obtained while the store could not take it and still has to be written to it. */
  #unsaved = false;
  /** The unsaved copy is `initial` (kept through an outage at start): a token the store turns out to hold wins. */
  #unsavedIsInitial = false;
  /** The token to start from while the store has none; forgotten once any token has been adopted. */
  #initial?: TokenSet;
  /** The access token a 401 was reported for: never handed out again, even while the store still holds it. */
  #revoked?: string;
  #reading?: Promise<void>;

  constructor(settings: MirrorSettings, initial: TokenSet | undefined) {
    this.#settings = settings;
    this.#initial = initial;
  }

  /** The cache hit: the local copy while it is fresh and not due for a re-read, else `undefined`. No I/O. */
  fresh(now: number): StoredToken | undefined {
    return this.#local !== undefined && now < this.#refreshAt && now < this.#recheckAt && now >= this.#checkedAt ? this.#local : undefined;
  }

  /** The local copy, whatever its state. */
  get current(): StoredToken | undefined {
    return this.#local;
  }

  /** Whether `stored` may be handed out now: not expired, and not the token a 401 was reported for. */
  usable(stored: StoredToken | undefined, now: number): stored is StoredToken {
    return stored !== undefined && stored.token.accessToken !== this.#revoked && tokenState(stored, now, this.#settings.policy) !== 'expired';
  }

  /** Whether the local copy is due for a re-read of the store. */
  due(now: number): boolean {
    return this.#local === undefined || now >= this.#recheckAt || now < this.#checkedAt;
  }

  /** Marks `accessToken` (the current one) as refused by the API: it is never served again. */
  revoke(accessToken: string): void {
    this.#revoked = accessToken;
    this.#refreshAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * The vendor, asked for a new token, handed back the very one an API refused (WeChat, WeCom, DingTalk and Feishu
   * return the token they issued until their own renewal point): it vouches for it, and there is no other to
   * serve — a success with the expiry it states, not an "expired on arrival" failure that leaves callers with
   * nothing. Only for an answer of the vendor: a copy republished from this process is no such word.
   */
  vouchedFor(accessToken: string): void {
    if (accessToken === this.#revoked) this.#revoked = undefined;
  }

  /** Forgets the local copy (the provider is closing). */
  clear(): void {
    this.#local = undefined;
    this.#refreshAt = Number.NEGATIVE_INFINITY;
  }

  /** A store call failed (here, or the lease's or the quota's): the store is unavailable. */
  storeFailed(error: unknown): void {
    if (this.#down) return;
    this.#down = true;
    this.#settings.report.publish('store', { state: 'unavailable', error });
  }

  /** A store call answered. */
  #answered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#settings.report.publish('store', { state: 'recovered' });
  }

  /** Refreshes the local copy from the store; one read at a time however many callers ask, unless `force`d. */
  read(force = false): Promise<void> {
    if (this.#reading && !force) return this.#reading;
    const reading = this.#readOnce().finally(() => {
      if (this.#reading === reading) this.#reading = undefined;
    });
    this.#reading = reading;
    return reading;
  }

  async #readOnce(): Promise<void> {
    const { store, key, clock, policy, closing } = this.#settings;
    let stored: StoredToken | undefined;
    try {
      stored = await store.get(key);
      if (closing.aborted) return;
      this.#answered();
    } catch (error) {
      if (closing.aborted) return;
      this.storeFailed(error);
      if (this.#local === undefined && this.#initial !== undefined) {
        // The user's token must not be lost to a store outage: use it here, publish it later.
        this.#keepUnsaved(this.#initial, 0, clock.now());
        this.#unsavedIsInitial = true;
      }
      // Keep serving the local copy; try the store again soon, not on every call.
      this.#recheckIn(Math.min(policy.revalidateMs, 5_000));
      return;
    }
    const local = this.#local;
    if (this.#unsaved && local && (stored === undefined || (!this.#unsavedIsInitial && stored.obtainedAt <= local.obtainedAt))) {
      // Obtained while the store was down: this token (and its refresh token) is the newest; publish it.
      await this.commit(stored?.version ?? 0, local.token, local.obtainedAt);
      return;
    }
    if (stored === undefined && this.#initial !== undefined) {
      const initial = this.#initial;
      this.#initial = undefined;
      await this.commit(0, initial, clock.now());
      return;
    }
    if (stored === undefined && local !== undefined) {
      // The store lost the token (evicted, flushed, restarted without persistence). Publish ours again as the
      // first version: otherwise every later compare-and-set expects a version that no longer exists, fails,
      // and the provider would keep a stale copy instead of the token it just obtained.
      await this.commit(0, local.token, local.obtainedAt);
      return;
    }
    this.#unsaved = false;
    if (stored) this.#adopt(stored);
    else this.#recheckIn(policy.revalidateMs);
  }

  /**
   * Writes a token with compare-and-set before anyone gets it, so a rotated refresh token is stored before it
   * can be lost. When another writer came first, its token wins only if it is usable and at least as new as
   * ours; otherwise ours is written over it — a lost compare-and-set never discards a newer refresh token and
   * never hands out an expired one. Bounded: after {@link MAX_COMMIT_ATTEMPTS} refusals, or a record the store
   * reports as absent yet will not replace, the record is called corrupt. If the store is down or corrupt, the
   * token is kept here and written once the store accepts it.
   */
  async commit(expectedVersion: number, token: TokenSet, obtainedAt: number): Promise<StoredToken> {
    const { store, key, clock, closing } = this.#settings;
    let expected = expectedVersion;
    for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      closing.throwIfAborted();
      let winner: StoredToken | undefined;
      try {
        const stored = await store.compareAndSet(key, expected, token, obtainedAt);
        this.#answered();
        if (stored !== undefined) {
          this.#unsaved = false;
          this.#corruptReported = false;
          this.#adopt(stored);
          return stored;
        }
        winner = await store.get(key);
      } catch (error) {
        this.storeFailed(error);
        return this.#keepUnsaved(token, expected, obtainedAt);
      }
      if (winner === undefined && expected === 0) {
        return this.#corrupt(token, obtainedAt, 'the store reports no record but refuses to write the first version');
      }
      if (winner !== undefined && winner.version === expected) {
        return this.#corrupt(token, obtainedAt, `the store refuses to replace version ${expected} although it holds it`);
      }
      if (winner !== undefined && winner.obtainedAt >= obtainedAt && this.usable(winner, clock.now())) {
        this.#unsaved = false;
        this.#adopt(winner);
        return winner;
      }
      // The record vanished (write the first version) or holds an older or unusable token (write over it).
      expected = winner?.version ?? 0;
    }
    return this.#corrupt(token, obtainedAt, `compare-and-set was refused ${MAX_COMMIT_ATTEMPTS} times in a row`);
  }

  /** The store cannot take the token now: serve it from here and try to publish it again soon. */
  #keepUnsaved(token: TokenSet, version: number, obtainedAt: number): StoredToken {
    const result = { token, version, obtainedAt };
    this.#unsaved = true;
    this.#unsavedIsInitial = false;
    this.#adopt(result);
    // An unsaved token must reach the store soon after it is back, or other processes will refresh again.
    this.#recheckIn(Math.min(this.#settings.policy.revalidateMs, 5_000));
    return result;
  }

  /** A record that cannot be read or replaced: reported once, worked around, retried at the next re-check. */
  #corrupt(token: TokenSet, obtainedAt: number, reason: string): StoredToken {
    if (!this.#corruptReported) {
      this.#corruptReported = true;
      this.#settings.report.publish('store', { state: 'corrupt', reason });
    }
    return this.#keepUnsaved(token, 0, obtainedAt);
  }

  #adopt(stored: StoredToken): void {
    const { closing, policy } = this.#settings;
    if (closing.aborted) return;
    this.#local = stored;
    // Never back to `initial` (republished after a flush it would overwrite a newer token, refresh token spent).
    this.#initial = undefined;
    const revoked = stored.token.accessToken === this.#revoked;
    if (!revoked) this.#revoked = undefined;
    // A revoked token stays off the fast path even when the store still holds it.
    this.#refreshAt = revoked ? Number.NEGATIVE_INFINITY : tokenTimeline(stored, policy).refreshAt;
    this.#recheckIn(policy.revalidateMs);
  }

  #recheckIn(ms: number): void {
    const now = this.#settings.clock.now();
    this.#checkedAt = now;
    this.#recheckAt = now + ms;
  }
}
