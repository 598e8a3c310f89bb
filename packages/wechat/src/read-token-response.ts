import {
  errcodeDetails,
  expiryFromLifetime,
  oauthErrorDetails,
  ResponseReader,
  type TokenEndpointResponse,
  vendorError,
} from '@token-clients/core/vendor-kit';
import type { TokenError, TokenErrorCode, TokenSet } from '@token-clients/core';
import type { components } from './generated/schema.js';

/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'wechat';

/** WeChat's two token endpoints (specs/wechat.yaml): the stable token (the default) and the classic one. */
export type WechatEndpoint = 'stable' | 'classic';

/** What the readers must know about the request an answer belongs to. */
export interface AnsweredRequest {
  /** The grant that was sent. */
  grant: 'client_credentials';
  /** The endpoint that answered. */
  endpoint: WechatEndpoint;
}

/** WeChat's codes at its token endpoints, and what each amounts to (ruling 3 of specs/wechat.yaml). */
const CODES: ReadonlyMap<number, TokenErrorCode> = new Map([
  // At the token endpoint, which is sent no access token, 40001 can only mean the AppSecret (ruling 3).
  ...[40001, 40013, 40125, 40243].map((code) => [code, 'invalid_client'] as const),
  // The caller's IP is not on the account's API allow-list: the same answer until someone edits it.
  ...[40164, 61004, 89503].map((code) => [code, 'unauthorized_client'] as const),
  [40002, 'unsupported_grant_type'],
  ...[41002, 41004, 43001, 43002, 47001].map((code) => [code, 'invalid_request'] as const),
  [45009, 'quota_exhausted'],
  [45011, 'rate_limited'],
]);

/** The codes of the IP allow-list, whose fix the error spells out. */
const ALLOW_LIST_CODES: ReadonlySet<number> = new Set([40164, 61004, 89503]);

const ALLOW_LIST_ADVICE =
  "add this server's outbound IP to the account's API IP allow-list (IP白名单) in the platform's console (the message names the IP); retrying will not help until then.";

/** `errmsg` ends with ` rid: <id>`, the request id WeChat support asks for. */
const REQUEST_ID = /\brid:\s*([\w-]+)\s*$/;

/**
 * The `TokenError` an answer amounts to, or `undefined` when it is not a failure.
 *
 * Ruling 3: a `{errcode, errmsg}` body with a non-zero `errcode` is an error whatever the HTTP status (WeChat sends
 * them with a 200); its code maps by {@link CODES}, and any other code — `-1` (busy), `40014`/`42001` (about a token
 * the request did not carry) or one not listed — is a retryable `server_error` that keeps the vendor's code and
 * message. Without the envelope, an RFC 6749 body names its code, and any other non-2xx answer goes by its status.
 */
function readError(answer: TokenEndpointResponse, _request: AnsweredRequest): TokenError | undefined {
  const envelope = errcodeDetails(answer);
  if (envelope !== undefined) {
    const requestId = envelope.vendorMessage === undefined ? undefined : REQUEST_ID.exec(envelope.vendorMessage)?.[1];
    return vendorError(VENDOR, answer, {
      ...envelope,
      code: CODES.get(envelope.errcode) ?? 'server_error',
      ...(requestId === undefined ? {} : { requestId }),
      ...(ALLOW_LIST_CODES.has(envelope.errcode) ? { advice: ALLOW_LIST_ADVICE } : {}),
    });
  }
  const standard = oauthErrorDetails(answer);
  if (standard !== undefined) return vendorError(VENDOR, answer, standard);
  if (!answer.ok) return vendorError(VENDOR, answer);
  return undefined;
}

/** The WeChat token answer, as the spec describes it. */
export type WechatTokenResponse = components['schemas']['AccessToken'];

/**
 * The longest lifetime believed, in seconds: 7200, the documents' maximum ("currently a value within 7200").
 * A longer `expires_in` (a unit mistake) is cut down to it (ruling 4).
 */
export const WECHAT_MAX_LIFETIME_SECONDS = 7200;

/**
 * Turns WeChat's answer into a `TokenSet`, or throws the `TokenError` it amounts to ({@link readError}).
 *
 * Success is `{access_token, expires_in}`. The stable endpoint hands back the token it already issued, with the
 * seconds it has left, until the last 5 minutes: that too is a success, with the expiry it states (ruling 1).
 */
export function readTokenResponse(answer: TokenEndpointResponse, request: AnsweredRequest): TokenSet<WechatTokenResponse> {
  const error = readError(answer, request);
  if (error) throw error;
  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  const accessToken = reader.credential(body, 'access_token');
  const lifetime = reader.lifetime(body, 'expires_in', WECHAT_MAX_LIFETIME_SECONDS);
  return { accessToken, tokenType: 'bearer', expiresAt: expiryFromLifetime(answer.receivedAt, lifetime), raw: body as WechatTokenResponse };
}
