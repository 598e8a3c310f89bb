import { expiryFromLifetime, ResponseReader, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';
import { readError } from './read-error.js';
import { VENDOR, type AnsweredRequest } from './vendor.js';

/** The WPS token response body, as the spec describes it. */
export type WpsTokenResponse = components['schemas']['AccessToken'];

/**
 * The longest access-token lifetime believed, in seconds (ruling 10): one day, twelve times the documented two
 * hours. A longer `expires_in` (milliseconds sent as seconds: 7200000) is cut down to it.
 */
export const WPS_MAX_LIFETIME_SECONDS = 86_400;

/** The longest refresh-token lifetime believed, in seconds (ruling 10): a year, twelve times the documented 30 days. */
export const WPS_MAX_REFRESH_LIFETIME_SECONDS = 365 * 86_400;

/**
 * Turns WPS's answer to a token request into a `TokenSet`, or throws the `TokenError` it amounts to.
 *
 * Success is a bare OAuth2 body (`access_token`, `expires_in`, `refresh_token`, `refresh_expires_in`,
 * `token_type`); failures are read by {@link readError}. A refresh answer without a refresh token keeps the one
 * sent (ruling 4): the client applies core's `keepRefreshToken`.
 */
export function readTokenResponse(answer: TokenEndpointResponse, request: AnsweredRequest): TokenSet<WpsTokenResponse> {
  const error = readError(answer, request);
  if (error) throw error;
  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  const accessToken = reader.credential(body, 'access_token');
  const expiresAt = expiryFromLifetime(answer.receivedAt, reader.lifetime(body, 'expires_in', WPS_MAX_LIFETIME_SECONDS));
  const refreshToken = reader.optionalString(body, 'refresh_token');
  // Ruling 1: a number or a string of digits, both read as seconds.
  const refreshLifetime = reader.optionalLifetime(body, 'refresh_expires_in', WPS_MAX_REFRESH_LIFETIME_SECONDS);
  return {
    accessToken,
    tokenType: reader.tokenType(body, 'token_type'),
    expiresAt,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    // An expiry without a refresh token belongs to the one a refresh sent (kept by the client), else to nothing.
    ...(refreshLifetime === undefined || (refreshToken === undefined && request.grant !== 'refresh_token')
      ? {}
      : { refreshExpiresAt: expiryFromLifetime(answer.receivedAt, refreshLifetime) }),
    raw: body as WpsTokenResponse,
  };
}
