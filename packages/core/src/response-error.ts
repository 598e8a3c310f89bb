import { TOKEN_ERROR_CODES } from './error-codes.js';
import { answerSecrets, keptBody } from './kept-body.js';
import { statusErrorCode } from './oauth-error-body.js';
import { redactSecrets } from './scrub-secrets.js';
import type { TokenEndpointResponse } from './token-endpoint.js';
import { TokenError, type TokenErrorCode } from './token-error.js';

/** The vendor's own details of a failure, as far as its error shape gives them. */
export interface VendorErrorDetails {
  /** The normalised code, when the vendor's answer determines it; else it follows from the status. */
  code?: TokenErrorCode;
  /** The vendor's own error code, as sent (secrets of the request are redacted from it). */
  vendorCode?: string;
  /** The vendor's own error message, as sent (secrets of the request are redacted from it). */
  vendorMessage?: string;
  /** The vendor's request id, for support tickets. */
  requestId?: string;
  /**
   * What to do, when the vendor's code says more than the normalised code's advice (an IP allow-list to edit);
   * it ends the error's message in place of that advice.
   */
  advice?: string;
}

/**
 * The details of a `{errcode, errmsg}` envelope — WeChat's, WeCom's, DingTalk's legacy API's — when `errcode` is a
 * non-zero number, i.e. a failure whatever the HTTP status; `undefined` for any other body. The vendor maps the
 * code (`errcode` is kept as a number for that) and may add its request id.
 */
export function errcodeDetails(answer: TokenEndpointResponse): (VendorErrorDetails & { errcode: number }) | undefined {
  const body = answer.json;
  if (typeof body !== 'object' || body === null) return undefined;
  const { errcode, errmsg } = body as { errcode?: unknown; errmsg?: unknown };
  if (typeof errcode !== 'number' || errcode === 0) return undefined;
  return { errcode, vendorCode: String(errcode), ...(typeof errmsg === 'string' ? { vendorMessage: errmsg } : {}) };
}

/**
 * The `TokenError` for a vendor's answer that is an error: status, vendor details, `Retry-After`,
 * the response and a size-limited copy of the body are all kept. Any of the request's secrets
 * ({@link TokenEndpointResponse.secrets}) that the vendor echoes in its code or message is replaced by
 * `[redacted]`, in those fields and in the error's message.
 */
export function vendorError(vendor: string, answer: TokenEndpointResponse, details: VendorErrorDetails = {}): TokenError {
  const code = details.code ?? statusErrorCode(answer.status);
  const shown = shownDetails(answer, details);
  const said = shown.vendorMessage ?? shown.vendorCode;
  const message =
    `${vendor} token request failed (HTTP ${answer.status}${said ? `: ${said}` : ''}): ${details.advice ?? TOKEN_ERROR_CODES[code].advice}`;
  return new TokenError({
    code,
    vendor,
    message,
    status: answer.status,
    ...shown,
    retryAfterMs: retryAfterMs(answer.headers, answer.receivedAt),
    response: withoutUrl(answer.response),
    body: keptBody(answer),
  });
}

/**
 * The `TokenError` for an answer that cannot be understood: not JSON, a field missing or of the wrong type,
 * a lifetime that makes no sense. `problem` says what is wrong without quoting the body (it may hold a token).
 *
 * `details` are what the vendor said about the answer even so (an envelope's request id, code and message):
 * they are kept on the error, redacted as in {@link vendorError}, but not put into its message. Their `code`
 * is not used: the error is always `invalid_response`.
 */
export function invalidResponse(
  vendor: string,
  answer: TokenEndpointResponse,
  problem: string,
  details: VendorErrorDetails = {},
): TokenError {
  return new TokenError({
    code: 'invalid_response',
    vendor,
    message: `${vendor} sent a token response that cannot be used (HTTP ${answer.status}): ${problem}. ${TOKEN_ERROR_CODES.invalid_response.advice}`,
    status: answer.status,
    ...shownDetails(answer, details),
    response: withoutUrl(answer.response),
    body: keptBody(answer),
  });
}

/** Describes a body that is not the JSON expected, without quoting it. */
export function describeNonJson(answer: TokenEndpointResponse): string {
  const type = answer.headers.get('content-type') ?? 'no content type';
  if (answer.text === undefined || answer.text.length === 0) return `the body is empty (${type})`;
  return `the body is not JSON (${type}, ${answer.text.length} characters)`;
}

/** The vendor's code, message and request id as an error may show them: with the request's secrets redacted. */
function shownDetails(answer: TokenEndpointResponse, details: VendorErrorDetails): Omit<VendorErrorDetails, 'code'> {
  // The answer's own tokens too: a vendor that quotes the token it refuses must not show it.
  const secrets = answerSecrets(answer);
  return {
    vendorCode: redactSecrets(details.vendorCode, secrets),
    vendorMessage: redactSecrets(details.vendorMessage, secrets),
    requestId: details.requestId,
  };
}


/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date. */
function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The response as kept on an error: status and headers, no body (it was read; a copy is on `error.body`) and
 * no `url` — some vendors take the client secret in the query string.
 */
function withoutUrl(response: Response): Response {
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}
