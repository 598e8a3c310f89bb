import { withDeadline } from './deadline.js';
import type { GrantChoice } from './grant-choice.js';
import { assertOpen, type ProviderContext } from './provider-context.js';
import { tokenState } from './refresh-policy.js';
import type { StoreMirror } from './store-mirror.js';
import { TokenError } from './token-error.js';
import type { TokenSet } from './token-set.js';
import type { Lease, StoredToken } from './token-store.js';

const MAX_LEASE_WAITS = 10;

/** A refresh's outcome: the token, and whether this process asked the vendor for it or adopted another's. */
export interface Refreshed {
  stored: StoredToken;
  source: 'vendor' | 'store';
}

/**
 * One refresh, fleet-wide: only the holder of the store's lease asks the vendor; the others wait for its
 * result and adopt it. The holder re-reads the store once it has the lease (another holder may have refreshed
 * already), commits before anyone gets the token, and gives up before its lease could run out under it.
 */
export class LeaseRefresh<Raw> {
  readonly #context: ProviderContext;
  readonly #mirror: StoreMirror;
  readonly #grants: GrantChoice<Raw>;

  constructor(context: ProviderContext, mirror: StoreMirror, grants: GrantChoice<Raw>) {
    this.#context = context;
    this.#mirror = mirror;
    this.#grants = grants;
  }

  /** A new token, obtained here under the lease or adopted from the holder that had it. */
  async run(): Promise<Refreshed> {
    const { store, key, leaseMs, vendor, closing, clock, report } = this.#context;
    for (let waits = 0; ; waits++) {
      assertOpen(this.#context);
      let lease: Lease | undefined;
      try {
        lease = await store.acquireLease(key, leaseMs);
      } catch (error) {
        this.#context.health.failed(error);
        return this.#obtainAndCommit();
      }
      if (lease) {
        try {
          return await this.#obtainAndCommit();
        } finally {
          await lease.release();
        }
      }
      if (waits >= MAX_LEASE_WAITS) {
        throw new TokenError({
          code: 'timeout',
          vendor,
          message: `Another process has held the refresh lease for "${key}" too long; it is safe to retry.`,
        });
      }
      const seenVersion = this.#mirror.local?.version ?? 0;
      const waitStart = clock.now();
      try {
        await store.waitForUpdate(key, seenVersion, leaseMs, closing);
      } catch (error) {
        // The store failed while another process held the lease: go on alone, as when the lease cannot be taken.
        report.leaseWaited(clock.now() - waitStart, 'store_failed');
        this.#context.health.failed(error);
        return this.#obtainAndCommit();
      }
      await this.#mirror.read(true);
      const current = this.#mirror.local;
      const updated = current !== undefined && current.version !== seenVersion;
      report.leaseWaited(clock.now() - waitStart, closing.aborted ? 'aborted' : updated ? 'updated' : 'timeout');
      if (updated && this.#mirror.usable(current, clock.now())) return { stored: current, source: 'store' };
    }
  }

  /** Under the lease: re-read (another holder may have refreshed already), then ask the vendor and commit. */
  async #obtainAndCommit(): Promise<Refreshed> {
    const { clock, policy } = this.#context;
    await this.#mirror.read(true);
    assertOpen(this.#context);
    const current = this.#mirror.local;
    if (this.#mirror.usable(current, clock.now()) && tokenState(current, clock.now(), policy) === 'fresh') return { stored: current, source: 'store' };
    const obtainedAt = clock.now();
    const token = await this.#obtainBeforeLeaseEnds(current?.token as TokenSet<Raw> | undefined);
    // A token call that settles after close() must not reach the local copy or the store.
    assertOpen(this.#context);
    const stored = await this.#mirror.commit(current?.version ?? 0, token, obtainedAt);
    // Committed first: a rotated refresh token in the answer is kept even when its access token is useless.
    if (!this.#mirror.usable(stored, clock.now())) throw this.#alreadyExpired(token.expiresAt);
    return { stored, source: 'vendor' };
  }

  /**
   * A token that is expired (or inside the expiry margin) the moment it arrives — a source that returns a past
   * `expiresAt`, a skew correction gone wrong. Handing it out would make every call refresh again, a request per
   * call; as a failure it is retried with backoff.
   */
  #alreadyExpired(expiresAt: number): TokenError {
    const { key, vendor, clock } = this.#context;
    return new TokenError({
      code: 'invalid_response',
      vendor,
      message: `The token obtained for "${key}" was already expired on arrival (expiresAt ${new Date(expiresAt).toISOString()}, now ${new Date(clock.now()).toISOString()}); check the vendor's expiry fields and this machine's clock.`,
    });
  }

  /**
   * The grant's token call, abandoned shortly before the lease could run out — even if the call ignores its
   * signal — so that no other process takes the lease over while this one still works (and spends the same
   * refresh token). The margin is a tenth of the lease, at most 5 seconds. Real time, not the injected clock:
   * the lease expires in the store's time.
   */
  #obtainBeforeLeaseEnds(current: TokenSet<Raw> | undefined): Promise<TokenSet<Raw>> {
    const { leaseMs, key, vendor, closing } = this.#context;
    const budgetMs = leaseMs - Math.min(5_000, leaseMs / 10);
    return withDeadline((signal) => this.#grants.obtain(current, signal), {
      ms: budgetMs,
      signal: closing,
      timeout: () =>
        new TokenError({
          code: 'timeout',
          vendor,
          message: `The token call for "${key}" took longer than its ${budgetMs} ms share of the refresh lease and was abandoned; it is safe to retry.`,
        }),
    });
  }

}
