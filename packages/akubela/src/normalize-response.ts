import { asJsonObject, expiryFromLifetime, readOAuthErrorBody, ResponseReader, type TokenEndpointResponse, type TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';
import { akubelaError, VENDOR, type AkubelaAnswerContext } from './vendor-error.js';

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
 * `context.grantType` decides how a refusal is read (ruling 7). The expiry is `expires_in` counted from the
 * local time the answer arrived (ruling 5).
 */
export function normalizeAkubelaResponse(
  answer: TokenEndpointResponse,
  context: AkubelaAnswerContext = { grantType: 'client_credentials' },
): TokenSet<AkubelaTokenResponse> {
  const success = asJsonObject(answer.json)?.['success'];
  // Ruling 14: without the envelope's `success`, an RFC 6749 error body is a refusal too, at any status.
  const refused = success === false || (success === undefined && readOAuthErrorBody(answer.json) !== undefined);
  if (!answer.ok || refused) throw akubelaError(answer, context);

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
