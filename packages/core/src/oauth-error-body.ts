import { asJsonObject } from './json-object.js';
import type { TokenEndpointResponse } from './token-endpoint.js';
import type { TokenErrorCode } from './token-error.js';

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
