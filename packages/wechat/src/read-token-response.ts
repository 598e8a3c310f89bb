import { expiryFromLifetime, ResponseReader, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';
import { readError } from './read-error.js';
import { VENDOR, type AnsweredRequest } from './vendor.js';

/** The WeChat token answer, as the spec describes it. */
export type WechatTokenResponse = components['schemas']['AccessToken'];

/**
 * The longest lifetime believed, in seconds: 7200, the documents' maximum ("currently a value within 7200").
 * A longer `expires_in` (a unit mistake) is cut down to it (ruling 4).
 */
export const WECHAT_MAX_LIFETIME_SECONDS = 7200;

/**
 * Turns WeChat's answer into a `TokenSet`, or throws the `TokenError` it amounts to ({@link readError}).
 *
 * Success is `{access_token, expires_in}`. The stable endpoint hands back the token it already issued, with the
 * seconds it has left, until the last 5 minutes: that too is a success, with the expiry it states (ruling 1).
 */
export function readTokenResponse(answer: TokenEndpointResponse, request: AnsweredRequest): TokenSet<WechatTokenResponse> {
  const error = readError(answer, request);
  if (error) throw error;
  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  const accessToken = reader.credential(body, 'access_token');
  const lifetime = reader.lifetime(body, 'expires_in', WECHAT_MAX_LIFETIME_SECONDS);
  return { accessToken, tokenType: 'bearer', expiresAt: expiryFromLifetime(answer.receivedAt, lifetime), raw: body as WechatTokenResponse };
}
