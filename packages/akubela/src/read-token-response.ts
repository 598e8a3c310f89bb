import { clockOffset, expiryFromLifetime, parseSeconds, ResponseReader, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';
import { readError } from './read-error.js';
import { VENDOR, type AnsweredRequest } from './vendor.js';

/**
 * The longest access-token lifetime believed, in seconds (ruling 15): one day, the longest the document's examples
 * ask for. A longer `expires_in` (milliseconds sent as seconds, or a longer lifetime asked for with `expiresIn`) is
 * cut down to it: the token is refreshed after a day.
 */
export const AKUBELA_MAX_LIFETIME_SECONDS = 86_400;

/** The Akubela token answer (the `success: true` envelope), as the spec describes it. */
export type AkubelaTokenResponse = components['schemas']['TokenResponse'];

/**
 * Turns Akubela's answer into a `TokenSet`, or throws the `TokenError` it amounts to.
 *
 * Success is the envelope `{ success: true, timestamp, result: { access_token, refresh_token, token_type,
 * expires_in } }`. A non-2xx status, `success: false` or a missing `result` is an error (spec ruling 4);
 * `request.grant` decides how a refusal is read (ruling 7, {@link readError}). The expiry is `expires_in` counted from the
 * local time the answer arrived (ruling 5).
 */
export function readTokenResponse(answer: TokenEndpointResponse, request: AnsweredRequest): TokenSet<AkubelaTokenResponse> {
  const error = readError(answer, request);
  if (error) throw error;

  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  if (body['success'] !== true) reader.fail(`field "success" is ${describeFlag(body['success'])}, expected true`);
  if (body['result'] === undefined || body['result'] === null) {
    reader.fail('field "result" is missing: the vendor reports success but sent no token');
  }
  const result = reader.object(body['result'], 'field "result"');
  const accessToken = reader.credential(result, 'access_token');
  const lifetime = reader.lifetime(result, 'expires_in', AKUBELA_MAX_LIFETIME_SECONDS);
  // Ruling 11: without a new refresh token the access token is still good; the next refresh falls back.
  const refreshToken = reader.optionalString(result, 'refresh_token');
  return {
    accessToken,
    tokenType: reader.tokenType(result, 'token_type'),
    expiresAt: expiryFromLifetime(answer.receivedAt, lifetime),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    raw: body as AkubelaTokenResponse,
  };
}

/** Names a `success` value that is neither `true` nor `false` (it holds no secret, but stay uniform). */
function describeFlag(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

/**
 * How far Akubela's clock ran ahead of the local clock (negative: behind) when it issued `token`, in ms,
 * from the envelope's `timestamp` (spec ruling 5); `undefined` when the answer carries no usable timestamp.
 *
 * Expiries never depend on it — `expires_in` is relative — so this is for monitoring a drifting clock.
 * The arrival time is recovered exactly from the relative expiry {@link readTokenResponse} computed.
 */
export function akubelaClockOffset(token: TokenSet<AkubelaTokenResponse>): number | undefined {
  const { timestamp, result } = token.raw;
  const lifetime = parseSeconds(result?.expires_in);
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || lifetime === undefined) return undefined;
  // readTokenResponse cut the lifetime to the cap: so does this, to find the arrival time again.
  return clockOffset(timestamp, token.expiresAt - Math.min(lifetime, AKUBELA_MAX_LIFETIME_SECONDS) * 1000);
}
