import type { DailyQuota } from './daily-quota.js';
import { keepRefreshToken } from './keep-refresh-token.js';
import type { ProviderContext } from './provider-context.js';
import { TokenError } from './token-error.js';
import type { TokenSet } from './token-set.js';

/** The provider's two ways to a new token set: the vendor calls it was given. */
export interface TokenSources<Raw> {
  /** Gets a new token without a refresh token (client credentials). Absent for user tokens. */
  requestToken?: (signal: AbortSignal) => Promise<TokenSet<Raw>>;
  /** Trades a refresh token for a new token set. */
  refresh?: (refreshToken: string, signal: AbortSignal) => Promise<TokenSet<Raw>>;
}

/**
 * Which grant gets the next token: the refresh token when there is a usable one, else the client credentials,
 * else the user must authorise again. A refresh token the vendor refused is remembered and never sent again.
 * Each request to the vendor is counted against the daily budget first, and not sent once it is spent.
 */
export class GrantChoice<Raw> {
  readonly #context: ProviderContext;
  readonly #sources: TokenSources<Raw>;
  readonly #quota?: DailyQuota;
  /** A refresh token the vendor rejected: never sent again. */
  #deadRefreshToken?: string;

  constructor(context: ProviderContext, sources: TokenSources<Raw>, quota?: DailyQuota) {
    this.#context = context;
    this.#sources = sources;
    if (quota !== undefined) this.#quota = quota;
  }

  /** A new token set in place of `current` (the stored one, if any). */
  async obtain(current: TokenSet<Raw> | undefined, signal: AbortSignal): Promise<TokenSet<Raw>> {
    const { refresh, requestToken } = this.#sources;
    const { key, vendor, clock } = this.#context;
    const refreshToken = current?.refreshToken;
    const refreshUsable =
      refreshToken !== undefined &&
      refreshToken !== this.#deadRefreshToken &&
      (current?.refreshExpiresAt === undefined || current.refreshExpiresAt > clock.now());
    let rejection: TokenError | undefined;
    if (refresh && refreshUsable) {
      await this.#quota?.spend();
      try {
        return keepRefreshToken(await refresh(refreshToken, signal), refreshToken, current?.refreshExpiresAt);
      } catch (error) {
        if (!(error instanceof TokenError && error.code === 'invalid_grant')) throw error;
        this.#deadRefreshToken = refreshToken;
        rejection = error;
      }
    }
    if (requestToken) {
      await this.#quota?.spend();
      return requestToken(signal);
    }
    throw new TokenError({
      code: 'reauthorization_required',
      vendor,
      message: rejection
        ? `The refresh token for "${key}" was rejected; the user must authorise the application again.`
        : `There is no usable refresh token for "${key}"; the user must authorise the application again.`,
      cause: rejection,
    });
  }
}
