/**
 * Vendor requests over 24 simulated hours of steady use: the goal is one per token lifetime (≈ 12 a day for
 * two-hour tokens), never more than 1.5× that. WeCom hands back the token it holds until it expires; the provider
 * serves it to the end and asks then, so it never asks for a token it already has.
 */
import { afterEach, expect, it } from 'vitest';
import type { TokenProviderEvent } from '@token-clients/core';
import { steadyUse } from '@token-clients/testkit';
import { startWecomFake, type WecomFake } from '@token-clients/testkit/vendors/wecom';
import { createWecomClient } from '../src/index.js';

let fake: WecomFake;
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

async function measure(settings: { renewalWindowMs?: number } = {}): Promise<number> {
  let now = Date.UTC(2026, 10, 22, 0, 0, 0);
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  fake = await startWecomFake({ now: () => now });
  const wecom = createWecomClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, application: fake.application, baseUrl: fake.url, clock });
  const events: TokenProviderEvent[] = [];
  const provider = wecom.tokenProvider({ ...settings, onEvent: (event) => events.push(event) });
  const requests = await steadyUse(provider, fake, events, { clock, isTokenRequest: (path) => path === '/cgi-bin/gettoken' });
  await provider.close();
  return requests;
}

it('costs about one token request per token lifetime over 24 simulated hours', async () => {
  const requests = await measure();
  console.info(`wecom: ${requests} token requests in 24 simulated hours`);
  expect(requests).toBeGreaterThanOrEqual(12);
  expect(requests).toBeLessThanOrEqual(18);
  expect(fake.issued).toHaveLength(requests);
});

it('would ask again and again for the token it holds if the provider refreshed ahead as for other vendors', async () => {
  const requests = await measure({ renewalWindowMs: Number.POSITIVE_INFINITY });
  console.info(`wecom without its renewal window: ${requests} token requests in 24 simulated hours`);
  expect(requests).toBeGreaterThan(18);
  expect(fake.issued.length).toBeLessThanOrEqual(13);
});
