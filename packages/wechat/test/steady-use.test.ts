/**
 * Vendor requests over 24 simulated hours of steady use: the goal is one per token lifetime (≈ 12 a day for
 * WeChat's two-hour tokens), never more than 1.5× that. The stable endpoint hands back the token it holds until
 * its last 5 minutes; the provider refreshes ahead inside them, so it never asks for a token it already has.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TokenProviderEvent } from '@token-clients/core';
import { steadyUse } from '@token-clients/testkit';
import { startWechatFake, type WechatFake } from '@token-clients/testkit/vendors/wechat';
import { createWechatClient, type WechatEndpoint } from '../src/index.js';

let fake: WechatFake;
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

describe.each<WechatEndpoint>(['stable', 'classic'])('the %s endpoint', (endpoint) => {
  it('costs about one token request per token lifetime over 24 simulated hours', async () => {
    let now = Date.UTC(2026, 10, 22, 0, 0, 0);
    const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
    fake = await startWechatFake({ now: () => now });
    const wechat = createWechatClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock, endpoint });
    const events: TokenProviderEvent[] = [];
    const provider = wechat.tokenProvider({ onEvent: (event) => events.push(event) });
    const requests = await steadyUse(provider, fake, events, { clock, isTokenRequest: (path) => path.startsWith('/cgi-bin/') });
    await provider.close();
    console.info(`wechat ${endpoint}: ${requests} token requests in 24 simulated hours`);
    expect(requests).toBeGreaterThanOrEqual(12);
    expect(requests).toBeLessThanOrEqual(18);
    // Each request got a new token: none was asked for while the vendor would only hand the same one back.
    expect(fake.issued).toHaveLength(requests);
  });
});
