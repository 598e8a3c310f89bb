import { clockOffset, expiryFromLifetime, localExpiry, oauthErrorDetails, ResponseReader, serverTimeFromDateHeader, vendorError, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';

/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'dushu';

/** The dushu token response body, as the spec describes it. */
export type DushuTokenResponse = components['schemas']['AccessToken'];

/**
 * Turns dushu's answer into a `TokenSet`, or throws the `TokenError` it amounts to.
 *
 * Success is Spring OAuth2's serialisation (`value`, `expiresIn`, `expiration`, …). Errors are RFC 6749's
 * (`error`, `error_description`, ruling 3), read by the rule core shares, at any status; any other non-2xx
 * answer goes by its status.
 */
export function readTokenResponse(answer: TokenEndpointResponse): TokenSet<DushuTokenResponse> {
  const standard = oauthErrorDetails(answer);
  if (standard !== undefined || !answer.ok) throw vendorError(VENDOR, answer, standard);
  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  const accessToken = reader.credential(body, 'value');
  const lifetime = reader.lifetime(body, 'expiresIn');
  if (body['expired'] === true) reader.fail('the vendor reports the new token as already expired');
  let expiresAt = expiryFromLifetime(answer.receivedAt, lifetime);
  // Ruling 1: `expiration` is only a cross-check, and only when the Date header tells us the vendor's clock.
  const serverTime = serverTimeFromDateHeader(answer.headers);
  if (typeof body['expiration'] === 'number' && serverTime !== undefined) {
    // The Date header is truncated to whole seconds: a corrected `expiration` within that second of the
    // relative expiry is the same instant, and only a genuinely earlier one wins.
    const corrected = localExpiry(body['expiration'], clockOffset(serverTime, answer.receivedAt), 1000);
    if (corrected < expiresAt - 1000) expiresAt = corrected;
    if (expiresAt <= answer.receivedAt) reader.fail('field "expiration" is already past on the vendor\'s own clock');
  }
  const scope = body['scope'];
  if (scope !== undefined && !(Array.isArray(scope) && scope.every((item) => typeof item === 'string'))) {
    reader.fail('field "scope" is not an array of strings');
  }
  return {
    accessToken,
    tokenType: reader.tokenType(body, 'tokenType'),
    expiresAt,
    ...(scope === undefined ? {} : { scope: scope as string[] }),
    raw: body as DushuTokenResponse,
  };
}
