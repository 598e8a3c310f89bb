import { asJsonObject, oauthErrorDetails, statusErrorCode, vendorError, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenError, TokenErrorCode } from '@token-clients/core';
import { VENDOR, type AnsweredRequest, type WpsGrantType } from './vendor.js';

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
