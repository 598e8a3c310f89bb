import {
  asJsonObject,
  clockOffset,
  localExpiry,
  oauthErrorDetails,
  ResponseReader,
  serverTimeFromDateHeader,
  statusErrorCode,
  vendorError,
  type TokenEndpointResponse,
  type VendorErrorDetails,
} from '@token-clients/core/vendor-kit';
import type { TokenError, TokenErrorCode, TokenSet } from '@token-clients/core';

/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'ebaas';
import type { components } from './generated/schema.js';

/** The ebaas success envelope, as the spec describes it: `data` holds the token. */
export type EbaasTokenResponse = components['schemas']['AccessTokenResponse'];

/** An ebaas error envelope (`code` other than `"000"`, `data: null`), as the spec describes it. */
export type EbaasErrorResponse = components['schemas']['ErrorResponse'];

/** The documented lifetime, 2 hours, plus the second the example adds: no real expiry lies further out. */
export const EBAAS_MAX_LIFETIME_SECONDS = 7201;

/** The `Date` header has whole seconds, so the vendor's clock may be up to this much later than it says. */
const DATE_HEADER_RESOLUTION_MS = 1000;

/**
 * Turns ebaas's answer into a `TokenSet`, or throws the `TokenError` it amounts to.
 *
 * Every answer is an envelope (`request_id`, `code`, `msg`, `data`); success is `code === "000"` with a 2xx
 * status, and any error keeps the envelope's code, message and request id. `expired` is a UTC+08:00 wall-clock
 * time on the vendor's clock, moved onto the local clock by the offset in the `Date` header. A secret of the
 * request that the vendor echoes in `msg` is redacted (core does it, with `answer.secrets`).
 */
export function readTokenResponse(answer: TokenEndpointResponse): TokenSet<EbaasTokenResponse> {
  const error = readError(answer);
  if (error) throw error;
  // Support needs the request id of an unusable answer too: the reader keeps the envelope's details on its errors.
  return readToken(new ResponseReader(VENDOR, answer, envelopeDetails(asJsonObject(answer.json) ?? {})), answer);
}

/** Reads the token out of a 2xx answer that should be a success envelope. */
function readToken(reader: ResponseReader, answer: TokenEndpointResponse): TokenSet<EbaasTokenResponse> {
  const body = reader.body();
  if (typeof body['code'] !== 'string') reader.fail('field "code" is not a string: the answer is not an ebaas envelope');
  const data = reader.object(body['data'], 'field "data"');
  const accessToken = reader.credential(data, 'access_token');
  const vendorExpiry = parseEbaasTime(reader.string(data, 'expired'));
  if (vendorExpiry === undefined) reader.fail('field "data.expired" is not a real "YYYY-MM-DD HH:mm:ss" time');
  // Rulings 1–2: `expired` is on the vendor's clock; the Date header tells how far that clock is from ours.
  const serverTime = serverTimeFromDateHeader(answer.headers);
  const corrected =
    serverTime === undefined
      ? vendorExpiry
      : localExpiry(vendorExpiry, clockOffset(serverTime, answer.receivedAt), DATE_HEADER_RESOLUTION_MS);
  if (corrected <= answer.receivedAt) reader.fail('field "data.expired" is already past: the token would already be expired');
  // With no Date header a fast vendor clock would push the expiry out; the documented lifetime bounds it.
  const expiresAt = Math.min(corrected, answer.receivedAt + EBAAS_MAX_LIFETIME_SECONDS * 1000);
  return { accessToken, tokenType: 'bearer', expiresAt, raw: body as EbaasTokenResponse };
}

/** China Standard Time, the zone of ebaas's `expired` (ruling 1): UTC+08:00, with no daylight saving. */
const UTC_PLUS_8_MS = 8 * 3_600_000;

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * Reads ebaas's `expired` (`YYYY-MM-DD HH:mm:ss`, a wall-clock time in UTC+08:00) as epoch ms on the
 * vendor's clock, or `undefined` when it is not exactly that form or names a time that does not exist.
 *
 * Only `Date.UTC` arithmetic is used, never the `Date` constructor's local-time parsing, so the result is
 * the same whatever the machine's time zone.
 */
export function parseEbaasTime(text: string): number | undefined {
  const match = WALL_CLOCK.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls impossible values over (2021-02-30 → March 2, 25:00 → the next day) and maps years
  // below 100 onto the 1900s: a value that does not survive the round trip was not a real time.
  const back = new Date(utc);
  const exact =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  return exact ? utc - UTC_PLUS_8_MS : undefined;
}

/**
 * The `TokenError` an answer amounts to, or `undefined` when it is not a failure. Every error keeps the
 * envelope's code, message and request id.
 *
 * Ruling 3: an envelope whose `code` is not `"000"` (or any envelope with a non-2xx status) is an error, read
 * first. Ruling 8: without an envelope, an RFC 6749 error body names its code. Then any non-2xx status: Spring's
 * own error body (a missing parameter), a gateway's page, a rate limiter's answer.
 */
export function readError(answer: TokenEndpointResponse): TokenError | undefined {
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
