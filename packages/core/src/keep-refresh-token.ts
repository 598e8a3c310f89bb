import type { TokenSet } from './contract.js';

/**
 * The answer to a refresh, with the refresh token that was sent kept when the vendor issued none (or the same
 * one again): a vendor that does not rotate leaves the old refresh token valid, and its expiry with it. The one
 * place this rule lives; vendor clients and the provider both apply it.
 */
export function keepRefreshToken<Raw>(next: TokenSet<Raw>, sent: string, sentExpiresAt?: number): TokenSet<Raw> {
  if (next.refreshToken !== undefined && next.refreshToken !== sent) return next;
  const refreshExpiresAt = next.refreshExpiresAt ?? sentExpiresAt;
  return { ...next, refreshToken: sent, ...(refreshExpiresAt === undefined ? {} : { refreshExpiresAt }) };
}
