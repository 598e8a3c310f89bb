import { rejectedByErrcode, type BearerAuthOptions } from '@token-clients/core';

/**
 * The `errcode`s of an API answer that mean the token is dead — `40001` (invalid or not the latest), `40014`
 * (invalid), `42001` (expired) — sent in an HTTP 200 (ruling 6 of specs/wechat.yaml).
 */
export const WECHAT_DEAD_TOKEN_CODES: readonly number[] = Object.freeze([40001, 40014, 42001]);

/**
 * `bearerAuth` options for WeChat's APIs: the token goes in the `access_token` query parameter, and an answer
 * that says the token died ({@link WECHAT_DEAD_TOKEN_CODES}) invalidates it and retries once with a new one —
 * what `bearerAuth` does on a 401. If the platform hands back the same token, the answer is returned as it is.
 *
 * @example
 * import { bearerAuth } from '@token-clients/core';
 * const tokens = wechat.tokenProvider();
 * wechat.api.use(bearerAuth(tokens, WECHAT_API_AUTH));
 * const { data } = await wechat.api.GET('/cgi-bin/get_api_domain_ip');
 */
export const WECHAT_API_AUTH: Readonly<BearerAuthOptions> = Object.freeze({
  queryParameter: 'access_token',
  tokenRejected: rejectedByErrcode(WECHAT_DEAD_TOKEN_CODES),
});
