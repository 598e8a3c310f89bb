// A WeChat API call with the account's token (the README of @token-clients/wechat, runnable): the token goes in
// the `access_token` query parameter, and an answer that says it died early — `{errcode: 40001 | 42001}` in an
// HTTP 200 — means one invalidate and one retry, as a 401 does for bearerAuth.
//
//   WECHAT_APPID=… WECHAT_APPSECRET=… npx tsx wechat-api.ts
//
// WECHAT_BASE_URL is optional (the test points it at the testkit's WeChat fake).
import { bearerAuth } from '@token-clients/core';
import { createWechatClient, TokenError, WECHAT_API_AUTH } from '@token-clients/wechat';

const wechat = createWechatClient({
  clientId: fromEnv('WECHAT_APPID'),
  clientSecret: fromEnv('WECHAT_APPSECRET'),
  baseUrl: process.env.WECHAT_BASE_URL,
});
const tokens = wechat.tokenProvider(); // one request per token lifetime, inside WeChat's 5-minute renewal window
wechat.api.use(bearerAuth(tokens, WECHAT_API_AUTH));

try {
  const { data } = await wechat.api.GET('/cgi-bin/get_api_domain_ip');
  if (data && 'errcode' in data) {
    console.error(`the API answered errcode ${data.errcode}: ${data.errmsg}`);
    process.exitCode = 1;
  } else {
    console.log(`WeChat's API servers: ${data?.dns.length} address ranges`);
  }
} catch (error) {
  if (!(error instanceof TokenError)) throw error;
  console.error(`no token for the API (${error.code}): ${error.message}`);
  process.exitCode = 1;
} finally {
  await tokens.close();
}

function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the comment at the top of this file)`);
  return value;
}
