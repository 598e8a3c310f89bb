import { rejectedByErrcode, type BearerAuthOptions } from '@token-clients/core';

/**
 * The `errcode`s of an API answer that mean the token is dead — `40014` (invalid) and `42001` (expired, or ended
 * early by WeCom) — sent in an HTTP 200 (ruling 3 of specs/wecom.yaml). WeCom's `40001` is an invalid secret.
 */
export const WECOM_DEAD_TOKEN_CODES: readonly number[] = Object.freeze([40014, 42001]);

/**
 * `bearerAuth` options for WeCom's APIs: the token goes in the `access_token` query parameter, and an answer that
 * says the token died ({@link WECOM_DEAD_TOKEN_CODES}) invalidates it and retries once with a new one — what
 * `bearerAuth` does on a 401. If WeCom hands back the same token, the answer is returned as it is.
 *
 * @example
 * import { bearerAuth } from '@token-clients/core';
 * const tokens = wecom.tokenProvider();
 * wecom.api.use(bearerAuth(tokens, WECOM_API_AUTH));
 * const { data } = await wecom.api.GET('/cgi-bin/get_api_domain_ip');
 */
export const WECOM_API_AUTH: Readonly<BearerAuthOptions> = Object.freeze({
  queryParameter: 'access_token',
  tokenRejected: rejectedByErrcode(WECOM_DEAD_TOKEN_CODES),
});
