import { expiryFromLifetime, ResponseReader, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';
import { readError } from './read-error.js';
import { VENDOR, type AnsweredRequest } from './vendor.js';

/**
 * The Fantem token response body, as the spec describes it: `access_token`, `expires_in` (a number or a
 * string of digits) and, for the authorization-code grant, `refresh_token`.
 */
export type FantemTokenResponse =
  | components['schemas']['AuthorizationCodeTokenResponse']
  | components['schemas']['RefreshTokenResponse'];

/**
 * The longest access-token lifetime believed, in seconds (ruling 12): one day, over twice the example's ten hours.
 * A longer `expires_in` (milliseconds sent as seconds) is cut down to it.
 */
export const FANTEM_MAX_LIFETIME_SECONDS = 86_400;

/**
 * Turns Fantem's answer into a `TokenSet`, or throws the `TokenError` it amounts to ({@link readError}).
 *
 * Success is `{access_token, expires_in[, refresh_token]}` with `expires_in` a number or a string of digits
 * (ruling 1). Ruling 5: a refresh answer carries no refresh token, and the one sent stays valid (the client
 * applies core's `keepRefreshToken`). Ruling 9: an authorization-code answer without one still gives a usable
 * access token (the code is already spent).
 */
export function readTokenResponse(answer: TokenEndpointResponse, request: AnsweredRequest): TokenSet<FantemTokenResponse> {
  const error = readError(answer, request);
  if (error) throw error;
  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  const accessToken = reader.credential(body, 'access_token');
  const lifetime = reader.lifetime(body, 'expires_in', FANTEM_MAX_LIFETIME_SECONDS);
  const refreshToken = reader.optionalString(body, 'refresh_token');
  return {
    accessToken,
    tokenType: reader.tokenType(body, 'token_type'),
    expiresAt: expiryFromLifetime(answer.receivedAt, lifetime),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    raw: body as FantemTokenResponse,
  };
}
