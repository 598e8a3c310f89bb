import type { TokenSet } from '@token-clients/core';

/**
 * How long a token outlives its last use in Redis. A day: long past any clock difference between machines or
 * any refresh in flight, so no process can still be acting on a version that expired under it, and short
 * enough that the tokens of retired clients and users do not pile up.
 */
export const RETENTION_MARGIN_MS = 24 * 3_600_000;

/**
 * The time to live of a token's key, in ms, or `undefined` to keep it until it is overwritten.
 *
 * A key is only worth keeping while something in it can still be used: the access token, or the refresh
 * token that gets the next one. A refresh token without a known expiry is kept forever — dropping it would
 * force the user to authorise again. The duration runs from `obtainedAt`, so the writer's clock does not
 * matter, only the vendor's relative lifetimes.
 */
export function retentionMs(token: TokenSet, obtainedAt: number): number | undefined {
  let usefulUntil = token.expiresAt;
  if (token.refreshToken !== undefined) {
    if (token.refreshExpiresAt === undefined) return undefined;
    usefulUntil = Math.max(usefulUntil, token.refreshExpiresAt);
  }
  const ttl = Math.ceil(Math.max(0, usefulUntil - obtainedAt) + RETENTION_MARGIN_MS);
  return Number.isSafeInteger(ttl) ? ttl : undefined;
}
