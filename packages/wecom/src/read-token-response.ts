import { expiryFromLifetime, ResponseReader, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';
import { readError } from './read-error.js';
import { VENDOR, type AnsweredRequest } from './vendor.js';

/** The WeCom token answer, as the spec describes it. */
export type WecomTokenResponse = components['schemas']['AccessToken'];

/** The longest lifetime believed, in seconds: 7200, the documented normal value (ruling 5). */
export const WECOM_MAX_LIFETIME_SECONDS = 7200;

/**
 * Turns WeCom's answer into a `TokenSet`, or throws the `TokenError` it amounts to ({@link readError}).
 *
 * Success is `{errcode: 0, errmsg: "ok", access_token, expires_in}`. Within a token's validity WeCom hands the
 * same token back with the seconds it has left: a success with the expiry it states (ruling 1).
 */
export function readTokenResponse(answer: TokenEndpointResponse, request: AnsweredRequest): TokenSet<WecomTokenResponse> {
  const error = readError(answer, request);
  if (error) throw error;
  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  const accessToken = reader.credential(body, 'access_token');
  const lifetime = reader.lifetime(body, 'expires_in', WECOM_MAX_LIFETIME_SECONDS);
  return { accessToken, tokenType: 'bearer', expiresAt: expiryFromLifetime(answer.receivedAt, lifetime), raw: body as WecomTokenResponse };
}
