import { asJsonObject, expiryFromLifetime, oauthErrorDetails, ResponseReader, vendorError, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenError, TokenErrorCode, TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';

/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'fantem';

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
 * (ruling 1). Ruling 5: a refresh answer carries no refresh token, and the one sent stays valid (the definition
 * says `keepsRefreshToken`). Ruling 9: an authorization-code answer without one still gives a usable
 * access token (the code is already spent).
 */
export function readTokenResponse(answer: TokenEndpointResponse): TokenSet<FantemTokenResponse> {
  const error = readError(answer);
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

/** The longest plain-text error body taken as the vendor's message (longer ones stay on `error.body` only). */
const MAX_TEXT_MESSAGE = 200;

/**
 * The `TokenError` an answer amounts to, or `undefined` when it is not a failure: any non-2xx status, or an
 * RFC 6749 error body at any status (ruling 11).
 *
 * Ruling 6: the document's only error is a bare 400, for a wrong grant_type or an unknown code or refresh
 * token; both grants carry a code or refresh token, so a 400 refuses it (`invalid_grant`). Ruling 11: an RFC 6749
 * error body names its code, and wins over that reading. Other statuses follow HTTP.
 */
export function readError(answer: TokenEndpointResponse): TokenError | undefined {
  const standard = oauthErrorDetails(answer);
  if (answer.ok && standard === undefined) return undefined;
  let code: TokenErrorCode | undefined = standard?.code;
  if (code === undefined && answer.status === 400) code = 'invalid_grant';
  return vendorError(VENDOR, answer, { code, ...vendorDetails(answer) });
}

/**
 * Whatever the undocumented error body says, as vendor code and message: an OAuth-style or `message` JSON
 * object, or a short plain text (`code不存在`). An HTML page or a long text is not used as a message — the
 * message ends up in `error.message` and logs; a secret that was sent and is quoted is redacted by core. The
 * body itself is kept on the error either way (size-limited, redacted, not enumerable).
 */
function vendorDetails(answer: TokenEndpointResponse): { vendorCode?: string; vendorMessage?: string } {
  const usable = (value: unknown): value is string =>
    typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT_MESSAGE;
  const { json, text } = answer;
  const fields = asJsonObject(json);
  if (fields !== undefined) {
    const vendorCode = [fields['error'], fields['code']].find((value) => usable(value) || typeof value === 'number');
    const vendorMessage = [fields['error_description'], fields['message'], fields['msg']].find(usable);
    return {
      ...(vendorCode === undefined ? {} : { vendorCode: String(vendorCode) }),
      ...(vendorMessage === undefined ? {} : { vendorMessage }),
    };
  }
  const trimmed = (typeof json === 'string' ? json : text)?.trim();
  const type = answer.headers.get('content-type') ?? '';
  if (usable(trimmed) && !/html|xml/i.test(type) && !trimmed.startsWith('<')) return { vendorMessage: trimmed };
  return {};
}
