import {
  asJsonObject,
  expiryFromLifetime,
  oauthErrorDetails,
  ResponseReader,
  vendorError,
  type TokenEndpointResponse,
  type TokenSet,
} from '@token-clients/core';
import { failureCode, wpsErrorCode, type WpsGrantType } from './error-code.js';
import type { components } from './generated/schema.js';

/** The WPS token response body, as the spec describes it. */
export type WpsTokenResponse = components['schemas']['AccessToken'];

/** The WPS failure body `{code, msg}`, as the spec describes it. */
export type WpsErrorResponse = components['schemas']['Error'];

/** The vendor name used in errors and store keys. */
export const VENDOR = 'wps';

/**
 * The longest access-token lifetime believed, in seconds (ruling 10): one day, twelve times the documented two
 * hours. A longer `expires_in` (milliseconds sent as seconds: 7200000) is cut down to it.
 */
export const WPS_MAX_LIFETIME_SECONDS = 86_400;

/** The longest refresh-token lifetime believed, in seconds (ruling 10): a year, twelve times the documented 30 days. */
export const WPS_MAX_REFRESH_LIFETIME_SECONDS = 365 * 86_400;

/** What {@link normalizeWpsResponse} needs to know about the request that was answered. */
export interface WpsNormalizeOptions {
  /** The grant the request used; it decides what a refusal means. */
  grantType: WpsGrantType;
  /** For `refresh_token`: the refresh token sent, kept when the answer carries no new one (ruling 4). */
  refreshToken?: string;
}

/**
 * Turns WPS's answer to a token request into a `TokenSet`, or throws the `TokenError` it amounts to.
 *
 * Success is a bare OAuth2 body (`access_token`, `expires_in`, `refresh_token`, `refresh_expires_in`,
 * `token_type`); failure is `{code, msg}` with a non-zero `code`, whatever the HTTP status (ruling 2). Should
 * `msg` echo a secret of the request (the APPKEY, the code, the refresh token), core redacts it.
 */
export function normalizeWpsResponse(answer: TokenEndpointResponse, options: WpsNormalizeOptions): TokenSet<WpsTokenResponse> {
  const object = asJsonObject(answer.json);
  const vendorCode = failureCode(object);
  const msg = object?.['msg'];
  const vendorMessage = typeof msg === 'string' ? msg : undefined;
  // Ruling 2: the documented `{code, msg}` body comes first. Ruling 9: then an RFC 6749 error body, whose
  // `error` names the code (a refused refresh token is `invalid_grant` in either shape).
  if (vendorCode !== undefined) {
    throw vendorError(VENDOR, answer, { code: wpsErrorCode(answer.status, options.grantType, true), vendorCode, vendorMessage });
  }
  const standard = oauthErrorDetails(answer);
  if (standard !== undefined) throw vendorError(VENDOR, answer, standard);
  if (!answer.ok) {
    throw vendorError(VENDOR, answer, { code: wpsErrorCode(answer.status, options.grantType, false), vendorMessage });
  }

  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  const accessToken = reader.credential(body, 'access_token');
  const expiresAt = expiryFromLifetime(answer.receivedAt, reader.lifetime(body, 'expires_in', WPS_MAX_LIFETIME_SECONDS));
  const issuedRefreshToken = reader.optionalString(body, 'refresh_token');
  // Ruling 1: a number or a string of digits, both read as seconds.
  const refreshLifetime = reader.optionalLifetime(body, 'refresh_expires_in', WPS_MAX_REFRESH_LIFETIME_SECONDS);
  // Ruling 4: a new refresh token replaces the old; without one, the old one stays in use.
  const refreshToken = issuedRefreshToken ?? (options.grantType === 'refresh_token' ? options.refreshToken : undefined);
  return {
    accessToken,
    tokenType: reader.tokenType(body, 'token_type'),
    expiresAt,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(refreshToken === undefined || refreshLifetime === undefined
      ? {}
      : { refreshExpiresAt: expiryFromLifetime(answer.receivedAt, refreshLifetime) }),
    raw: body as WpsTokenResponse,
  };
}
