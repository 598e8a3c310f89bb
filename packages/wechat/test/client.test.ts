import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failure } from '@token-clients/testkit';
import { startWechatFake, type WechatFake } from '@token-clients/testkit/vendors/wechat';
import { createWechatClient, WECHAT_DEFAULT_BASE_URL, TokenError } from '../src/index.js';

let fake: WechatFake;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startWechatFake({ now: () => now });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

const client = (overrides: Partial<Parameters<typeof createWechatClient>[0]> = {}) =>
  createWechatClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock, ...overrides });

describe('requestToken (stable endpoint)', () => {
  it('posts the documented JSON body and reads the answer', async () => {
    const token = await client().requestToken();

    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/cgi-bin/stable_token');
    expect(request?.mediaType).toBe('application/json');
    expect(JSON.parse(request!.rawBody.toString())).toEqual({ grant_type: 'client_credential', appid: fake.clientId, secret: fake.clientSecret });
    expect(request?.query.size).toBe(0);

    expect(token.accessToken).toBe(fake.issued[0]);
    expect(token.tokenType).toBe('bearer');
    expect(token.expiresAt).toBe(now + 7200 * 1000);
  });

  it('gets the same token back, with what it has left, outside the last 5 minutes — and a new one inside them', async () => {
    const first = await client().requestToken();
    now += 60 * 60_000;
    const again = await client().requestToken();
    expect(again.accessToken).toBe(first.accessToken);
    expect(again.expiresAt).toBe(first.expiresAt);
    now += 56 * 60_000; // 4 minutes left
    const renewed = await client().requestToken();
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(renewed.expiresAt).toBe(now + 7200 * 1000);
  });

  it('sends force_refresh only when asked, and a second forced call within 30 s does not refresh', async () => {
    const first = await client().requestToken();
    const forced = await client().requestToken({ forceRefresh: true });
    expect(JSON.parse(fake.requests[1]!.rawBody.toString())).toMatchObject({ force_refresh: true });
    expect(forced.accessToken).not.toBe(first.accessToken);
    now += 10_000;
    expect((await client().requestToken({ forceRefresh: true })).accessToken).toBe(forced.accessToken);
  });

  it.each([
    ['a wrong AppSecret (40125)', { clientSecret: 'wrong-secret' }, 'invalid_client', '40125'],
    ['a wrong AppID (40013)', { clientId: 'wx0000000000000000' }, 'invalid_client', '40013'],
  ])('maps %s, sent in an HTTP 200, to a non-retryable error with the request id', async (_name, overrides, code, vendorCode) => {
    const error = await failure(client(overrides).requestToken());
    expect(error.code).toBe(code);
    expect(error.status).toBe(200);
    expect(error.vendorCode).toBe(vendorCode);
    expect(error.requestId).toMatch(/^[\da-f]{8}-[\da-f]{8}$/);
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain('wrong-secret');
  });

  it('says what to do when the server is not on the IP allow-list (40164)', async () => {
    fake.blockCallerIp(true);
    const error = await failure(client().requestToken());
    expect(error.code).toBe('unauthorized_client');
    expect(error.retryable).toBe(false);
    expect(error.vendorMessage).toContain('203.0.113.7');
    expect(error.message).toMatch(/allow-list \(IP白名单\)/);
  });

  it('keeps an unknown errcode and its message, secrets redacted, instead of an invalid_response', async () => {
    fake.inject({ type: 'answer', status: 200, json: { errcode: 48004, errmsg: `api forbidden for ${fake.clientSecret}` } }, 1);
    const error = await failure(client().requestToken());
    expect(error.code).toBe('server_error');
    expect(error.vendorCode).toBe('48004');
    expect(error.vendorMessage).toBe('api forbidden for [redacted]');
  });

  it.each([
    ['an HTML 502 page', { type: 'status', status: 502 }, 'server_error', true],
    ['truncated JSON', { type: 'truncated' }, 'invalid_response', false],
    ['a missing token', { type: 'mutate', change: ({ access_token, ...rest }: any) => rest }, 'invalid_response', false],
    ['a zero lifetime', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: 0 }) }, 'invalid_response', false],
    ['errcode 45011', { type: 'answer', status: 200, json: { errcode: 45011, errmsg: 'api minute-quota reach limit' } }, 'rate_limited', true],
    ['errcode -1', { type: 'answer', status: 200, json: { errcode: -1, errmsg: 'system error' } }, 'server_error', true],
  ] as const)('turns %s into the TokenError its code says', async (_name, fault, code, retryable) => {
    fake.inject(fault as never, 1);
    const error = await failure(client().requestToken());
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });
});

describe('the classic endpoint', () => {
  it('sends the documented query string, and gets a new token every call', async () => {
    const classic = client({ endpoint: 'classic' });
    const first = await classic.requestToken();
    const [request] = fake.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/cgi-bin/token');
    expect(Object.fromEntries(request!.query)).toEqual({ grant_type: 'client_credential', appid: fake.clientId, secret: fake.clientSecret });
    expect((await classic.requestToken()).accessToken).not.toBe(first.accessToken);
  });

  it('reads 40001 at the token endpoint as a wrong AppSecret', async () => {
    const error = await failure(client({ endpoint: 'classic', clientSecret: 'wrong' }).requestToken());
    expect(error.code).toBe('invalid_client');
    expect(error.vendorCode).toBe('40001');
  });

  it("counts its providers' requests against a daily budget of 2000, and reads the vendor's 45009 as quota_exhausted", async () => {
    await fake.close();
    fake = await startWechatFake({ now: () => now, classicDailyLimit: 2 });
    const classic = client({ endpoint: 'classic' });
    await classic.requestToken();
    await classic.requestToken();
    const error = await failure(classic.requestToken());
    expect(error.code).toBe('quota_exhausted');
    expect(error.vendorCode).toBe('45009');
    expect(error.retryable).toBe(true);

    // The provider's own budget (2000 by default) stops it before the vendor has to: at the budget, no request leaves.
    await fake.close();
    fake = await startWechatFake({ now: () => now });
    const budgeted = client({ endpoint: 'classic' }).tokenProvider({ dailyBudget: 1 });
    const token = await budgeted.getToken();
    now += 60_000;
    await budgeted.invalidate(token.accessToken);
    expect(fake.classicCalls()).toBe(1);
    const refused = await failure(budgeted.getToken());
    expect(refused.code).toBe('quota_exhausted');
    await budgeted.close();
  });
});

describe('tokenProvider', () => {
  it('makes one token request for 100 concurrent callers, and none while the token lives', async () => {
    const provider = client().tokenProvider();
    const tokens = await Promise.all(Array.from({ length: 100 }, () => provider.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set([fake.issued[0]]));
    now += 100 * 60_000;
    await provider.getToken();
    expect(fake.requests).toHaveLength(1);
    await provider.close();
  });

  it('refreshes ahead inside the vendor renewal window and gets the new token there', async () => {
    const provider = client().tokenProvider();
    const first = await provider.getAccessToken();
    now += 7200_000 - 3 * 60_000; // refresh-ahead starts 3 minutes before expiry, inside the last 5
    expect(await provider.getAccessToken()).toBe(first); // served at once; the refresh runs behind it
    await vi.waitFor(() => expect(fake.stableCalls()).toBe(2));
    await vi.waitFor(async () => expect(await provider.getAccessToken()).toBe(fake.issued[1]));
    await provider.close();
  });

  it('never sends force_refresh: invalidate() asks in normal mode, which picks up a token forced elsewhere', async () => {
    const provider = client().tokenProvider();
    const first = await provider.getAccessToken();
    fake.forceRefreshElsewhere();
    await provider.invalidate(first);
    expect(await provider.getAccessToken()).toBe(fake.issued[1]);
    expect(fake.requests.map((request) => JSON.parse(request.rawBody.toString())).some((body) => 'force_refresh' in body)).toBe(false);
    await provider.close();
  });
});

describe('createWechatClient', () => {
  it.each([
    ['a missing clientSecret', { clientSecret: undefined }],
    ['an empty clientId', { clientId: '' }],
    ['a malformed baseUrl', { baseUrl: 'not a url' }],
    ['an unknown endpoint', { endpoint: 'fast' }],
  ])('rejects %s when the client is created', (_name, overrides) => {
    expect(() => client(overrides as never)).toThrow(TokenError);
  });

  it('uses the documented server by default', () => {
    expect(JSON.stringify(createWechatClient({ clientId: 'wx1', clientSecret: 'secret' }))).toContain(WECHAT_DEFAULT_BASE_URL);
  });

  it('never shows the secret when inspected or serialised', () => {
    const wechat = client();
    for (const shown of [inspect(wechat, { depth: 5 }), JSON.stringify(wechat), String(wechat)]) {
      expect(shown).not.toContain(fake.clientSecret);
      expect(shown).toContain(fake.clientId);
    }
  });
});
