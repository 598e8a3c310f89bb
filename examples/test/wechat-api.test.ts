// examples/wechat-api.ts runs as a user runs it, against the testkit's WeChat fake: a token, an API call with the
// token in the query string, and a refused AppSecret as a TokenError — printing no secret, exiting by itself.
import { startWechatFake, type WechatFake } from '@token-clients/testkit/vendors/wechat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

let wechat: WechatFake;
beforeAll(async () => {
  wechat = await startWechatFake();
});
afterAll(() => wechat?.close());

const env = () => ({ WECHAT_APPID: wechat.clientId, WECHAT_APPSECRET: wechat.clientSecret, WECHAT_BASE_URL: wechat.url });

describe('wechat-api.ts (a WeChat API with WECHAT_API_AUTH)', () => {
  it('calls the API with the token in the query string, and exits', async () => {
    const run = await runExample('wechat-api.ts', env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("WeChat's API servers: 2 address ranges\n");
    const call = wechat.requests.find((request) => request.path === '/cgi-bin/get_api_domain_ip');
    expect(call?.query.get('access_token')).toBe(wechat.issued[0]);
    for (const secret of [wechat.clientSecret, ...wechat.issued]) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('reports a refused AppSecret as a TokenError code, and exits 1', async () => {
    const run = await runExample('wechat-api.ts', { ...env(), WECHAT_APPSECRET: 'not-the-secret' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^no token for the API \(invalid_client\): wechat token request failed \(HTTP 200: invalid appsecret rid: /);
    expect(run.stderr).not.toContain('not-the-secret');
  });
});
