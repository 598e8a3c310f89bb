/**
 * An API answer saying the token died early (`{errcode: 40001 | 42001}` in an HTTP 200) is met like a 401:
 * `bearerAuth(provider, WECHAT_API_AUTH)` invalidates the token and retries once with a new one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearerAuth } from '@token-clients/core';
import { startWechatFake, type WechatFake } from '@token-clients/testkit/vendors/wechat';
import { createWechatClient, WECHAT_API_AUTH } from '../src/index.js';

let fake: WechatFake;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startWechatFake({ now: () => now });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

const wechatWithAuth = () => {
  const wechat = createWechatClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now: () => now } });
  const tokens = wechat.tokenProvider();
  wechat.api.use(bearerAuth(tokens, WECHAT_API_AUTH));
  return { wechat, tokens };
};

describe('bearerAuth(provider, WECHAT_API_AUTH)', () => {
  it('sends the token as the access_token query parameter', async () => {
    const { wechat, tokens } = wechatWithAuth();
    const { data } = await wechat.api.GET('/cgi-bin/get_api_domain_ip');
    expect(data).toMatchObject({ dns: expect.any(Array) });
    const call = fake.requests.find((request) => request.path === '/cgi-bin/get_api_domain_ip');
    expect(call?.query.get('access_token')).toBe(fake.issued[0]);
    expect(call?.headers.authorization).toBeUndefined();
    await tokens.close();
  });

  it('retries once with the new token when the platform ended the old one early (40001 in a 200)', async () => {
    const { wechat, tokens } = wechatWithAuth();
    await tokens.getAccessToken();
    fake.forceRefreshElsewhere(); // the token this process holds is dead now
    const { data } = await wechat.api.GET('/cgi-bin/get_api_domain_ip');
    expect(data).toMatchObject({ dns: expect.any(Array) });
    const calls = fake.requests.filter((request) => request.path === '/cgi-bin/get_api_domain_ip').map((request) => request.query.get('access_token'));
    expect(calls).toEqual([fake.issued[0], fake.issued[1]]);
    await tokens.close();
  });

  it('gives the answer back as it is when the platform hands back the same token, and asks no more', async () => {
    const { wechat, tokens } = wechatWithAuth();
    await tokens.getAccessToken();
    // An API that refuses the token the token endpoint still calls current: one normal-mode request, no loop.
    fake.inject({ type: 'answer', status: 200, json: { errcode: 42001, errmsg: 'access_token expired' } }, 1);
    const { data } = await wechat.api.GET('/cgi-bin/get_api_domain_ip');
    expect(data).toMatchObject({ errcode: 42001 });
    expect(fake.stableCalls()).toBe(2);
    expect(await tokens.getAccessToken()).toBe(fake.issued[0]);
    await tokens.close();
  });
});
