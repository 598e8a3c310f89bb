import { clockOffset, parseSeconds, type TokenSet } from '@token-clients/core';
import { AKUBELA_MAX_LIFETIME_SECONDS, type AkubelaTokenResponse } from './normalize-response.js';

/**
 * How far Akubela's clock ran ahead of the local clock (negative: behind) when it issued `token`, in ms,
 * from the envelope's `timestamp` (spec ruling 5); `undefined` when the answer carries no usable timestamp.
 *
 * Expiries never depend on it — `expires_in` is relative — so this is for monitoring a drifting clock.
 * The arrival time is recovered exactly from the relative expiry the normaliser computed.
 */
export function akubelaClockOffset(token: TokenSet<AkubelaTokenResponse>): number | undefined {
  const { timestamp, result } = token.raw;
  const lifetime = parseSeconds(result?.expires_in);
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || lifetime === undefined) return undefined;
  // The normaliser cut the lifetime to the cap: so does this, to find the arrival time again.
  return clockOffset(timestamp, token.expiresAt - Math.min(lifetime, AKUBELA_MAX_LIFETIME_SECONDS) * 1000);
}
