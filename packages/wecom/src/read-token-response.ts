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
export const VENDOR = 'wecom';

/** What the readers must know about the request an answer belongs to: WeCom has one grant. */
export interface AnsweredRequest {
  /** The grant that was sent. */
  grant: 'client_credentials';
}

/** WeCom's codes at `gettoken`, and what each amounts to (ruling 4 of specs/wecom.yaml). */
const CODES: ReadonlyMap<number, TokenErrorCode> = new Map([
  // In WeCom 40001 is an invalid secret (不合法的secret参数), not a token.
  ...[40001, 40013, 40091].map((code) => [code, 'invalid_client'] as const),
  ...[41002, 41004].map((code) => [code, 'invalid_request'] as const),
  // WeCom's throttle of frequent calls, not a daily quota.
  ...[45009, 45033].map((code) => [code, 'rate_limited'] as const),
  [60020, 'unauthorized_client'],
]);

const UNTRUSTED_IP_ADVICE =
  "add this server's outbound IP to the application's trusted IPs (企业可信IP) in the WeCom admin console (the message names the IP); retrying will not help until then.";

/**
 * The `TokenError` an answer amounts to, or `undefined` when it is not a failure.
 *
 * Ruling 4: a `{errcode, errmsg}` body with a non-zero `errcode` is an error whatever the HTTP status; its code maps
 * by {@link CODES}, and any other — `-1` (busy), `40014`/`42001` (about a token the request did not carry), one not
 * listed — is a retryable `server_error` with the vendor's code and message. Without the envelope, an RFC 6749 body
 * names its code, and any other non-2xx answer goes by its status.
 */
function readError(answer: TokenEndpointResponse, _request: AnsweredRequest): TokenError | undefined {
  const envelope = errcodeDetails(answer);
  if (envelope !== undefined) {
    return vendorError(VENDOR, answer, {
      ...envelope,
      code: CODES.get(envelope.errcode) ?? 'server_error',
      ...(envelope.errcode === 60020 ? { advice: UNTRUSTED_IP_ADVICE } : {}),
    });
  }
  const standard = oauthErrorDetails(answer);
  if (standard !== undefined) return vendorError(VENDOR, answer, standard);
  if (!answer.ok) return vendorError(VENDOR, answer);
  return undefined;
}

/** The WeCom token answer, as the spec describes it. */
export type WecomTokenResponse = components['schemas']['AccessToken'];

/** The longest lifetime believed, in seconds: 7200, the documented normal value (ruling 5). */
export const WECOM_MAX_LIFETIME_SECONDS = 7200;

/**
 * Turns WeCom's answer into a `TokenSet`, or throws the `TokenError` it amounts to ({@link readError}).
 *
 * Success is `{errcode: 0, errmsg: "ok", access_token, expires_in}`. Within a token's validity WeCom hands the
 * same token back with the seconds it has left: a success with the expiry it states (ruling 1).
 */
export function readTokenResponse(answer: TokenEndpointResponse, request: AnsweredRequest): TokenSet<WecomTokenResponse> {
  const error = readError(answer, request);
  if (error) throw error;
  const reader = new ResponseReader(VENDOR, answer);
  const body = reader.body();
  const accessToken = reader.credential(body, 'access_token');
  const lifetime = reader.lifetime(body, 'expires_in', WECOM_MAX_LIFETIME_SECONDS);
  return { accessToken, tokenType: 'bearer', expiresAt: expiryFromLifetime(answer.receivedAt, lifetime), raw: body as WecomTokenResponse };
}
