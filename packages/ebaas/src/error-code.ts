import { statusErrorCode, type TokenErrorCode } from '@token-clients/core';

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
