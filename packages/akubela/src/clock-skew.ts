import { clockOffset, parseSeconds, type TokenSet } from '@token-clients/core';
import type { AkubelaTokenResponse } from './normalize-response.js';

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
  return clockOffset(timestamp, token.expiresAt - lifetime * 1000);
}
