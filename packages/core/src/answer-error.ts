/**
 * What an error answer amounts to: the `TokenError` for a vendor's refusal or for an answer that cannot be
 * used, and the reading of the RFC 6749 §5.2 error body every vendor falls back on.
 */
import { TOKEN_ERROR_CODES, TokenError, type TokenErrorCode } from './token-error.js';
import { answerSecrets, keptBody, redactSecrets } from './scrub-secrets.js';
import { asJsonObject, type TokenEndpointResponse } from './token-answer.js';

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
export function errcodeDetails(answer: Pick<TokenEndpointResponse, 'json'>): (VendorErrorDetails & { errcode: number }) | undefined {
  const body = asJsonObject(answer.json);
  const errcode = body?.['errcode'];
  if (typeof errcode !== 'number' || errcode === 0) return undefined;
  const errmsg = body?.['errmsg'];
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

/** An error body in the shape RFC 6749 §5.2 gives every OAuth 2.0 authorization server. */
export interface OAuthErrorBody {
  /** The error code (`invalid_grant`, `invalid_client`, … or an extension code). */
  error: string;
  /** Human-readable text, when sent. */
  error_description?: string;
  /** A page about the error, when sent. */
  error_uri?: string;
}

/**
 * An RFC 6749 error code: one word of the RFC's printable characters (`NQSCHAR` without the space). The RFC
 * allows a space, but no registered or commonly seen code has one, and Spring Boot's own error page body
 * (`{"error":"Bad Request", "status":400, …}`) must not be taken for an OAuth refusal.
 */
const ERROR_CODE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const REGISTERED: ReadonlySet<string> = new Set([
  'invalid_client',
  'invalid_grant',
  'invalid_request',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

/**
 * The body as an RFC 6749 §5.2 error, or `undefined` when it is not a well-formed one: a JSON object whose
 * `error` is an error code, whose `error_description` and `error_uri`, when present, are strings, and which
 * carries no `access_token` (an answer with a token is not a refusal). Other members are allowed, as the RFC
 * allows extensions.
 *
 * The one place that decides whether an answer is a standard OAuth error, for every vendor: a gateway in front
 * of a vendor, a vendor's next API version or a sixth vendor's standard server may answer in this shape
 * whatever the vendor documents. Each vendor applies its documented error shape first and this one after.
 */
export function readOAuthErrorBody(json: unknown): OAuthErrorBody | undefined {
  const body = asJsonObject(json);
  if (body === undefined) return undefined;
  const { error, error_description: description, error_uri: uri } = body;
  if (typeof error !== 'string' || !ERROR_CODE.test(error)) return undefined;
  if (description !== undefined && description !== null && typeof description !== 'string') return undefined;
  if (uri !== undefined && uri !== null && typeof uri !== 'string') return undefined;
  if ('access_token' in body) return undefined;
  return {
    error,
    ...(typeof description === 'string' ? { error_description: description } : {}),
    ...(typeof uri === 'string' ? { error_uri: uri } : {}),
  };
}

/** Maps an RFC 6749 §5.2 `error` value onto a {@link TokenErrorCode}; unknown values give `undefined`. */
export function oauthErrorCode(error: unknown): TokenErrorCode | undefined {
  if (typeof error !== 'string') return undefined;
  if (REGISTERED.has(error)) return error as TokenErrorCode;
  // RFC 6749 §4.1.2.1 codes that some servers send from the token endpoint too.
  if (error === 'temporarily_unavailable' || error === 'server_error') return 'server_error';
  if (error === 'access_denied') return 'unauthorized_client';
  return undefined;
}

/** The normalised code for an HTTP status when the vendor's body says nothing more precise. */
export function statusErrorCode(status: number): TokenErrorCode {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'invalid_client';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'invalid_request';
  return 'invalid_response';
}

/** What a standard error body says: the code it amounts to, and the server's `error` and `error_description`. */
export interface OAuthErrorDetails {
  code: TokenErrorCode;
  vendorCode: string;
  vendorMessage?: string;
}

/**
 * The details of an answer whose body is a well-formed RFC 6749 §5.2 error ({@link readOAuthErrorBody}),
 * or `undefined` when it is not one.
 *
 * `429` stays a rate limit and a `5xx` a server error whatever the body says — retrying can help there, and a
 * refresh token must never be thrown away because an overloaded server said `invalid_grant`. Otherwise the
 * `error` names the code; an extension code the RFC does not register goes by the status.
 */
export function oauthErrorDetails(answer: Pick<TokenEndpointResponse, 'status' | 'json'>): OAuthErrorDetails | undefined {
  const body = readOAuthErrorBody(answer.json);
  if (body === undefined) return undefined;
  const { status } = answer;
  const code =
    status === 429 || status >= 500 ? statusErrorCode(status) : (oauthErrorCode(body.error) ?? statusErrorCode(status));
  return {
    code,
    vendorCode: body.error,
    ...(body.error_description === undefined ? {} : { vendorMessage: body.error_description }),
  };
}
