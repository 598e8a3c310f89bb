import { asJsonObject, expiryFromLifetime, oauthErrorDetails, ResponseReader, statusErrorCode, vendorError, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenError, TokenErrorCode, TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';

/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'wps';

/** The grant a WPS token request used: it decides what a refusal means (spec ruling 5). */
export type WpsGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** What the readers must know about the request an answer belongs to: the grant that was sent. */
interface AnsweredRequest {
  grant: WpsGrantType;
}

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
 * sent (ruling 4): the definition says `keepsRefreshToken`.
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

/**
 * The `TokenError` an answer amounts to, or `undefined` when it is not a failure.
 *
 * Ruling 2: the documented `{code, msg}` body with a non-zero `code` is a failure whatever the status, read
 * first. Ruling 9: then an RFC 6749 error body, whose `error` names the code (a refused refresh token is
 * `invalid_grant` in either shape). Then any non-2xx status.
 */
export function readError(answer: TokenEndpointResponse, request: AnsweredRequest): TokenError | undefined {
  const object = asJsonObject(answer.json);
  const vendorCode = failureCode(object);
  const msg = object?.['msg'];
  const vendorMessage = typeof msg === 'string' ? msg : undefined;
  if (vendorCode !== undefined) {
    return vendorError(VENDOR, answer, { code: wpsErrorCode(answer.status, request.grant, true), vendorCode, vendorMessage });
  }
  const standard = oauthErrorDetails(answer);
  if (standard !== undefined) return vendorError(VENDOR, answer, standard);
  if (!answer.ok) return vendorError(VENDOR, answer, { code: wpsErrorCode(answer.status, request.grant, false), vendorMessage });
  return undefined;
}

/**
 * The vendor's error code in a body, as a string, when the body reports a failure; else `undefined`.
 *
 * Ruling 2: a non-zero `code` is a failure whatever the status. The document types it as an integer; a
 * non-empty string other than `"0"` is read as a failure too, since a vendor that changes the type of its
 * error code has still said "error". Any other type (`null`, `true`, …) is not a code.
 */
function failureCode(body: Record<string, unknown> | undefined): string | undefined {
  const code = body?.['code'];
  if (typeof code === 'number' && Number.isFinite(code) && code !== 0) return String(code);
  if (typeof code === 'string' && code.trim() !== '' && code.trim() !== '0') return code.trim();
  return undefined;
}

/**
 * The normalised code of a failed WPS token request (spec ruling 5).
 *
 * WPS's status-code list is not available, so the value of `code` is never interpreted: the HTTP status
 * and the grant decide. `vendorBody` says whether the body was the vendor's own `{code, msg}` failure body;
 * a proxy's HTML 400 page says nothing about the code or refresh token and must not make a caller throw
 * a user's authorisation away.
 */
function wpsErrorCode(status: number, grant: WpsGrantType, vendorBody: boolean): TokenErrorCode {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status === 401 || status === 403) return 'invalid_client';
  const refusesGrant = vendorBody && (status === 400 || (status >= 200 && status < 300));
  if (refusesGrant) {
    // A client-credentials request carries nothing but the credentials: refusing it refuses them.
    return grant === 'client_credentials' ? 'invalid_client' : 'invalid_grant';
  }
  return statusErrorCode(status);
}
