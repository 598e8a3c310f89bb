import {
  asJsonObject,
  expiryFromLifetime,
  oauthErrorCode,
  readOAuthErrorBody,
  ResponseReader,
  statusErrorCode,
  vendorError,
  type TokenEndpointResponse,
} from '@token-clients/core/vendor-kit';
import type { TokenError, TokenErrorCode, TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';

/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'akubela';

/** The two grants of the token endpoint. */
type AkubelaGrantType = 'client_credentials' | 'refresh_token';

/** What the readers must know about the request an answer belongs to. */
interface AnsweredRequest {
  /** The grant asked for: a refusal of a `refresh_token` request means a dead refresh token (spec ruling 7). */
  grant: AkubelaGrantType;
}

/**
 * The longest access-token lifetime believed, in seconds (ruling 15): one day, the longest the document's examples
 * ask for. A longer `expires_in` (milliseconds sent as seconds, or a longer lifetime asked for with `expiresIn`) is
 * cut down to it: the token is refreshed after a day.
 */
export const AKUBELA_MAX_LIFETIME_SECONDS = 86_400;

/** The Akubela token answer (the `success: true` envelope), as the spec describes it. */
export type AkubelaTokenResponse = components['schemas']['TokenResponse'];

/**
 * Turns Akubela's answer into a `TokenSet`, or throws the `TokenError` it amounts to.
 *
 * Success is the envelope `{ success: true, timestamp, result: { access_token, refresh_token, token_type,
 * expires_in } }`. A non-2xx status, `success: false` or a missing `result` is an error (spec ruling 4);
 * `request.grant` decides how a refusal is read (ruling 7, {@link readError}). The expiry is `expires_in` counted from the
 * local time the answer arrived (ruling 5).
 */
export function readTokenResponse(answer: TokenEndpointResponse, request: AnsweredRequest): TokenSet<AkubelaTokenResponse> {
  const error = readError(answer, request);
  if (error) throw error;

  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  if (body['success'] !== true) reader.fail(`field "success" is ${describeFlag(body['success'])}, expected true`);
  if (body['result'] === undefined || body['result'] === null) {
    reader.fail('field "result" is missing: the vendor reports success but sent no token');
  }
  const result = reader.object(body['result'], 'field "result"');
  const accessToken = reader.credential(result, 'access_token');
  const lifetime = reader.lifetime(result, 'expires_in', AKUBELA_MAX_LIFETIME_SECONDS);
  // Ruling 11: without a new refresh token the access token is still good; the next refresh falls back.
  const refreshToken = reader.optionalString(result, 'refresh_token');
  return {
    accessToken,
    tokenType: reader.tokenType(result, 'token_type'),
    expiresAt: expiryFromLifetime(answer.receivedAt, lifetime),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    raw: body as AkubelaTokenResponse,
  };
}

/** Names a `success` value that is neither `true` nor `false` (it holds no secret, but stay uniform). */
function describeFlag(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

/**
 * Codes that keep their meaning on a refresh: falling back to client credentials would fail the same way,
 * and the caller must hear the real reason.
 */
const SPECIFIC_ON_REFRESH: ReadonlySet<TokenErrorCode> = new Set([
  'invalid_client',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'server_error',
]);

/**
 * The `TokenError` an answer amounts to, or `undefined` when it is not a refusal: a non-2xx status,
 * `success: false`, or — without the envelope's `success` — an RFC 6749 error body at any status (ruling 14).
 *
 * The failure body is undocumented (spec rulings 4 and 6): `error`/`code` and
 * `error_description`/`message`/`msg` are picked up at the top level or inside `result`, and the whole
 * size-limited body stays on the error. A secret of the request that the server echoes (the refresh token
 * it refused, spec ruling 9) is redacted from the code and message by core.
 */
export function readError(answer: TokenEndpointResponse, request: AnsweredRequest): TokenError | undefined {
  const success = asJsonObject(answer.json)?.['success'];
  const refused = success === false || (success === undefined && readOAuthErrorBody(answer.json) !== undefined);
  if (answer.ok && !refused) return undefined;
  const fields = errorFields(answer.json);
  return vendorError(VENDOR, answer, {
    code: akubelaErrorCode(answer, [fields.error, fields.code], request.grant),
    vendorCode: fields.error ?? fields.code,
    vendorMessage: fields.error_description ?? fields.message ?? fields.msg,
    requestId: answer.headers.get('x-request-id') ?? undefined,
  });
}

/** The normalised code of a refusal; see spec ruling 7 for refresh requests. */
function akubelaErrorCode(
  answer: TokenEndpointResponse,
  vendorCodes: (string | undefined)[],
  grantType: AkubelaGrantType,
): TokenErrorCode {
  // A proxy's or the server's own trouble says nothing about the credentials: the refresh token may be alive.
  if (answer.status === 429) return 'rate_limited';
  if (answer.status >= 500) return 'server_error';
  const named = vendorCodes.map(oauthErrorCode).find((code) => code !== undefined);
  if (grantType === 'refresh_token') return named && SPECIFIC_ON_REFRESH.has(named) ? named : 'invalid_grant';
  if (named) return named;
  // `success: false` with a 2xx status and no code we know: the vendor refused, and repeating will not help.
  return answer.ok ? 'invalid_request' : statusErrorCode(answer.status);
}

interface ErrorFields {
  error?: string;
  error_description?: string;
  message?: string;
  msg?: string;
  code?: string;
}

/** The vendor's error fields, top level first, then inside `result`. */
function errorFields(json: unknown): ErrorFields {
  const fields: ErrorFields = {};
  const top = asJsonObject(json);
  for (const source of [top, asJsonObject(top?.['result'])]) {
    if (source === undefined) continue;
    for (const name of ['error', 'error_description', 'message', 'msg'] as const) {
      const value = source[name];
      if (fields[name] === undefined && typeof value === 'string' && value.length > 0) fields[name] = value;
    }
    const code = source['code'];
    if (fields.code === undefined && (typeof code === 'string' ? code.length > 0 : Number.isFinite(code))) {
      fields.code = String(code);
    }
  }
  return fields;
}
