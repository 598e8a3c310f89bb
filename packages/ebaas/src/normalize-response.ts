import {
  asJsonObject,
  clockOffset,
  localExpiry,
  oauthErrorDetails,
  ResponseReader,
  serverTimeFromDateHeader,
  vendorError,
  type TokenEndpointResponse,
  type TokenSet,
  type VendorErrorDetails,
} from '@token-clients/core';
import type { components } from './generated/schema.js';
import { ebaasErrorCode } from './error-code.js';
import { parseEbaasTime } from './expiry-time.js';

/** The ebaas success envelope, as the spec describes it: `data` holds the token. */
export type EbaasTokenResponse = components['schemas']['AccessTokenResponse'];

/** An ebaas error envelope (`code` other than `"000"`, `data: null`), as the spec describes it. */
export type EbaasErrorResponse = components['schemas']['ErrorResponse'];

/** The vendor name used in errors and store keys. */
export const VENDOR = 'ebaas';

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
export function normalizeEbaasResponse(answer: TokenEndpointResponse): TokenSet<EbaasTokenResponse> {
  const fields = asJsonObject(answer.json) ?? {};
  const envelope = envelopeDetails(fields);
  if (envelope.vendorCode !== undefined && (envelope.vendorCode !== '000' || !answer.ok)) {
    throw vendorError(VENDOR, answer, { ...envelope, code: ebaasErrorCode(envelope.vendorCode, answer.status) });
  }
  // Ruling 8: no envelope, but an RFC 6749 error body (a standard OAuth server or gateway in front of ebaas).
  const standard = oauthErrorDetails(answer);
  if (standard !== undefined) throw vendorError(VENDOR, answer, { ...standard, requestId: envelope.requestId });
  if (!answer.ok) {
    // No envelope: Spring's own error body (a missing parameter), a gateway's page, a rate limiter's answer.
    const said = [fields['message'], fields['error']].find((value) => typeof value === 'string') as string | undefined;
    throw vendorError(VENDOR, answer, { vendorMessage: envelope.vendorMessage ?? said, requestId: envelope.requestId });
  }
  // Support needs the request id of an unusable answer too: the reader keeps the envelope's details on its errors.
  return readToken(new ResponseReader(VENDOR, answer, envelope), answer);
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

/** The envelope's `code`, `msg` and `request_id`, where present and strings. */
function envelopeDetails(fields: Record<string, unknown>): VendorErrorDetails {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { vendorCode: text(fields['code']), vendorMessage: text(fields['msg']), requestId: text(fields['request_id']) };
}
