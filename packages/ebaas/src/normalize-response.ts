import {
  clockOffset,
  localExpiry,
  ResponseReader,
  serverTimeFromDateHeader,
  TokenError,
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
 * time on the vendor's clock, moved onto the local clock by the offset in the `Date` header.
 *
 * @param secrets - values to redact should the vendor echo them in `msg` (the client passes its secret).
 */
export function normalizeEbaasResponse(answer: TokenEndpointResponse, secrets: readonly string[] = []): TokenSet<EbaasTokenResponse> {
  const json = answer.json;
  const fields = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const envelope = envelopeDetails(fields, secrets);
  if (envelope.vendorCode !== undefined && (envelope.vendorCode !== '000' || !answer.ok)) {
    throw vendorError(VENDOR, answer, { ...envelope, code: ebaasErrorCode(envelope.vendorCode, answer.status) });
  }
  if (!answer.ok) {
    // No envelope: Spring's own error body (a missing parameter), a gateway's page, a rate limiter's answer.
    const said = [fields['message'], fields['error']].find((value) => typeof value === 'string') as string | undefined;
    throw vendorError(VENDOR, answer, {
      vendorMessage: envelope.vendorMessage ?? (said === undefined ? undefined : redact(said, secrets)),
      requestId: envelope.requestId,
    });
  }
  try {
    return readToken(new ResponseReader(VENDOR, answer), answer);
  } catch (error) {
    throw withEnvelope(error, envelope);
  }
}

/** Reads the token out of a 2xx answer that should be a success envelope. */
function readToken(reader: ResponseReader, answer: TokenEndpointResponse): TokenSet<EbaasTokenResponse> {
  const body = reader.body();
  if (typeof body['code'] !== 'string') reader.fail('field "code" is not a string: the answer is not an ebaas envelope');
  const data = reader.object(body['data'], 'field "data"');
  const accessToken = reader.string(data, 'access_token');
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

/** The envelope's `code`, `msg` and `request_id`, where present and strings; `msg` with secrets redacted. */
function envelopeDetails(fields: Record<string, unknown>, secrets: readonly string[]): VendorErrorDetails {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const msg = text(fields['msg']);
  return {
    vendorCode: text(fields['code']),
    vendorMessage: msg === undefined ? undefined : redact(msg, secrets),
    requestId: text(fields['request_id']),
  };
}

/**
 * Adds the envelope's details to an `invalid_response` raised while reading a success envelope: support
 * needs the request id of an unusable answer too. (Core's `invalidResponse` takes no vendor details.)
 */
function withEnvelope(error: unknown, envelope: VendorErrorDetails): unknown {
  if (!(error instanceof TokenError) || Object.values(envelope).every((value) => value === undefined)) return error;
  return new TokenError({
    code: error.code,
    vendor: error.vendor,
    message: error.message,
    status: error.status,
    ...envelope,
    response: error.response,
    body: error.body,
  });
}

function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length > 0).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
