import { afterEach, beforeEach, expect, it } from 'vitest';
import { startDushuFake, type DushuFake } from '@token-clients/testkit';
import { createDushuClient } from '../src/index.js';

let fake: DushuFake;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startDushuFake({ now: () => now });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

it('makes one token request for 1,000 concurrent callers, and none while the token lives', async () => {
  const dushu = createDushuClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock });
  const provider = dushu.tokenProvider();
  const tokens = await Promise.all(Array.from({ length: 1000 }, () => provider.getAccessToken()));
  expect(new Set(tokens)).toEqual(new Set([fake.issued[0]]));
  now += 60 * 60_000;
  await provider.getToken();
  expect(fake.requests).toHaveLength(1);
  await provider.close();
});

it('refreshes within the 5-minute overlap dushu guarantees, about 12 times a day', async () => {
  const dushu = createDushuClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock });
  const provider = dushu.tokenProvider();
  const start = now;
  let previous = { accessToken: '', expiresAt: 0 };
  let replacements = 0;
  while (now - start <= 24 * 3_600_000) {
    const token = await provider.getToken();
    if (previous.accessToken !== '' && token.accessToken !== previous.accessToken) {
      // Replaced ahead of expiry, and no earlier than the 3-minute window: inside dushu's 5-minute overlap.
      replacements += 1;
      expect(previous.expiresAt - now).toBeGreaterThan(0);
      expect(previous.expiresAt - now).toBeLessThanOrEqual(3 * 60_000);
    }
    previous = token;
    expect(token.expiresAt).toBeGreaterThan(now);
    await new Promise<void>((resolve) => setImmediate(resolve));
    now += 30_000;
  }
  expect(replacements).toBeGreaterThanOrEqual(11);
  expect(fake.requests.length).toBeLessThanOrEqual(13);
  await provider.close();
});
