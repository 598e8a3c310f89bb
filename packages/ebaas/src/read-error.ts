import {
  asJsonObject,
  oauthErrorDetails,
  statusErrorCode,
  vendorError,
  type TokenEndpointResponse,
  type VendorErrorDetails,
} from '@token-clients/core/vendor-kit';
import type { TokenError, TokenErrorCode } from '@token-clients/core';
import { VENDOR, type AnsweredRequest } from './vendor.js';

/**
 * The `TokenError` an answer amounts to, or `undefined` when it is not a failure. Every error keeps the
 * envelope's code, message and request id.
 *
 * Ruling 3: an envelope whose `code` is not `"000"` (or any envelope with a non-2xx status) is an error, read
 * first. Ruling 8: without an envelope, an RFC 6749 error body names its code. Then any non-2xx status: Spring's
 * own error body (a missing parameter), a gateway's page, a rate limiter's answer.
 */
export function readError(answer: TokenEndpointResponse, _request: AnsweredRequest): TokenError | undefined {
  const fields = asJsonObject(answer.json) ?? {};
  const envelope = envelopeDetails(fields);
  if (envelope.vendorCode !== undefined && (envelope.vendorCode !== '000' || !answer.ok)) {
    return vendorError(VENDOR, answer, { ...envelope, code: ebaasErrorCode(envelope.vendorCode, answer.status) });
  }
  const standard = oauthErrorDetails(answer);
  if (standard !== undefined) return vendorError(VENDOR, answer, { ...standard, requestId: envelope.requestId });
  if (!answer.ok) {
    const said = [fields['message'], fields['error']].find((value) => typeof value === 'string') as string | undefined;
    return vendorError(VENDOR, answer, { vendorMessage: envelope.vendorMessage ?? said, requestId: envelope.requestId });
  }
  return undefined;
}

/** The envelope's `code`, `msg` and `request_id`, where present and strings. */
export function envelopeDetails(fields: Record<string, unknown>): VendorErrorDetails {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { vendorCode: text(fields['code']), vendorMessage: text(fields['msg']), requestId: text(fields['request_id']) };
}

/** The documented credential errors: 403006 (client_id不正确) and 403007 (client_secret不正确). */
const CREDENTIAL_CODES: ReadonlySet<string> = new Set(['403006', '403007']);

/** A documented-looking code: an HTTP-like 4xx/5xx status followed by a three-digit serial (`403` + `006`). */
const STATUS_PREFIXED = /^([45]\d{2})\d{3}$/;

/**
 * The normalised error code for an ebaas envelope whose `code` is not success, or whose HTTP status is not
 * 2xx (ruling 3 of specs/ebaas.yaml):
 * - `403006`, `403007` → `invalid_client`;
 * - other codes of the documented form, by their first three digits read as an HTTP status;
 * - any other code, by the HTTP status when it is not 2xx, else `server_error`: the request carries nothing
 *   but the credentials, whose failures have their own codes, so an unexplained failure is the vendor's.
 *
 * `"000"` with a non-2xx status (a success envelope behind a failing gateway) goes by the status.
 */
export function ebaasErrorCode(code: string, status: number): TokenErrorCode {
  if (CREDENTIAL_CODES.has(code)) return 'invalid_client';
  const prefix = STATUS_PREFIXED.exec(code)?.[1];
  if (prefix !== undefined) return statusErrorCode(Number(prefix));
  if (status < 200 || status >= 300) return statusErrorCode(status);
  return 'server_error';
}
