import {
  asJsonObject,
  expiryFromLifetime,
  oauthErrorDetails,
  ResponseReader,
  vendorError,
  type TokenEndpointResponse,
  type TokenErrorCode,
  type TokenSet,
} from '@token-clients/core';
import type { components } from './generated/schema.js';

/**
 * The Fantem token response body, as the spec describes it: `access_token`, `expires_in` (a number or a
 * string of digits) and, for the authorization-code grant, `refresh_token`.
 */
export type FantemTokenResponse =
  | components['schemas']['AuthorizationCodeTokenResponse']
  | components['schemas']['RefreshTokenResponse'];

/** The vendor name used in errors and store keys. */
export const VENDOR = 'fantem';

/**
 * The longest access-token lifetime believed, in seconds (ruling 12): one day, over twice the example's ten hours.
 * A longer `expires_in` (milliseconds sent as seconds) is cut down to it.
 */
export const FANTEM_MAX_LIFETIME_SECONDS = 86_400;

/** What was asked for: the normaliser needs it to read the answer (rulings 5 and 6). */
export interface FantemGrantRequest {
  /** The grant that was sent. */
  grantType: 'authorization_code' | 'refresh_token';
  /**
   * The code or refresh token that was sent, if any. A 400 means `invalid_grant` when there was one and
   * `invalid_request` when not (ruling 6); for a refresh, it stays the refresh token when the answer brings
   * no new one (ruling 5). Never quoted in an error: core redacts it, like every secret the request carried.
   */
  credential?: string;
}

/** The longest plain-text error body taken as the vendor's message (longer ones stay on `error.body` only). */
const MAX_TEXT_MESSAGE = 200;

/**
 * Turns Fantem's answer into a `TokenSet`, or throws the `TokenError` it amounts to.
 *
 * Success is `{access_token, expires_in[, refresh_token]}` with `expires_in` a number or a string of digits
 * (ruling 1); errors are a bare HTTP 400 whose body, if any, is not documented (ruling 6).
 */
export function normalizeFantemResponse(answer: TokenEndpointResponse, request: FantemGrantRequest): TokenSet<FantemTokenResponse> {
  if (!answer.ok || oauthErrorDetails(answer) !== undefined) throw fantemError(answer, request);
  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  const accessToken = reader.credential(body, 'access_token');
  const lifetime = reader.lifetime(body, 'expires_in', FANTEM_MAX_LIFETIME_SECONDS);
  // Ruling 5: a refresh answer carries no refresh token, and the one that was sent stays valid. Ruling 9: an
  // authorization-code answer without one still gives a usable access token (the code is already spent).
  const issuedRefreshToken = reader.optionalString(body, 'refresh_token');
  const refreshToken = issuedRefreshToken ?? (request.grantType === 'refresh_token' ? request.credential : undefined);
  return {
    accessToken,
    tokenType: reader.tokenType(body, 'token_type'),
    expiresAt: expiryFromLifetime(answer.receivedAt, lifetime),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    raw: body as FantemTokenResponse,
  };
}

/** The `TokenError` for an answer with an error status. */
function fantemError(answer: TokenEndpointResponse, request: FantemGrantRequest): Error {
  // Ruling 6: the document's only error is a bare 400, for a wrong grant_type or an unknown code or refresh
  // token; which of those it was can only be told from what was sent. Other statuses follow HTTP.
  // Ruling 11: an RFC 6749 error body names its code, at any status, and wins over that guess.
  let code: TokenErrorCode | undefined = oauthErrorDetails(answer)?.code;
  if (code === undefined && answer.status === 400) code = request.credential ? 'invalid_grant' : 'invalid_request';
  return vendorError(VENDOR, answer, { code, ...vendorDetails(answer) });
}

/**
 * Whatever the undocumented error body says, as vendor code and message: an OAuth-style or `message` JSON
 * object, or a short plain text (`code不存在`). An HTML page or a long text is not used as a message — the
 * message ends up in `error.message` and logs; a secret that was sent and is quoted is redacted by core. The
 * body itself is kept on the error either way (size-limited, not enumerable).
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
