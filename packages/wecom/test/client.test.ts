import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearerAuth, MemoryStore } from '@token-clients/core';
import { failure } from '@token-clients/testkit';
import { startWecomFake, type WecomFake } from '@token-clients/testkit/vendors/wecom';
import { createWecomClient, WECOM_API_AUTH, WECOM_DEFAULT_BASE_URL, TokenError } from '../src/index.js';

const OTHER_SECRET = 'contacts-secret-0b7d8c91e2f3';
let fake: WecomFake;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startWecomFake({ now: () => now, otherApplications: { contacts: OTHER_SECRET } });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

const client = (overrides: Partial<Parameters<typeof createWecomClient>[0]> = {}) =>
  createWecomClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, application: fake.application, baseUrl: fake.url, clock, ...overrides });

describe('requestToken', () => {
  it('sends corpid and corpsecret in the query string of a GET and reads the answer', async () => {
    const token = await client().requestToken();
    const [request] = fake.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/cgi-bin/gettoken');
    expect(Object.fromEntries(request!.query)).toEqual({ corpid: fake.clientId, corpsecret: fake.clientSecret });
    expect(token).toMatchObject({ accessToken: fake.issued[0], tokenType: 'bearer', expiresAt: now + 7200_000 });
    expect(token.raw).toMatchObject({ errcode: 0, errmsg: 'ok' });
  });

  it('gets the same token back while it is valid, with what it has left', async () => {
    const first = await client().requestToken();
    now += 7000_000;
    const again = await client().requestToken();
    expect(again.accessToken).toBe(first.accessToken);
    expect(again.expiresAt).toBe(first.expiresAt);
    now += 200_000;
    expect((await client().requestToken()).accessToken).not.toBe(first.accessToken);
  });

  it.each([
    ['a wrong secret (40001)', { clientSecret: 'wrong-secret' }, 'invalid_client', '40001'],
    ['a wrong corpid (40013)', { clientId: 'ww0000000000000000' }, 'invalid_client', '40013'],
  ])('maps %s, sent in an HTTP 200, to a non-retryable error', async (_name, overrides, code, vendorCode) => {
    const error = await failure(client(overrides).requestToken());
    expect(error).toMatchObject({ code, status: 200, vendorCode, retryable: false });
    expect(error.message).not.toContain('wrong-secret');
  });

  it('reads the throttle of frequent calls (45009) as rate_limited', async () => {
    await fake.close();
    fake = await startWecomFake({ now: () => now, callsPerMinute: 1 });
    await client().requestToken();
    const error = await failure(client().requestToken());
    expect(error).toMatchObject({ code: 'rate_limited', vendorCode: '45009', retryable: true });
  });

  it('says what to do when the server IP is not trusted (60020)', async () => {
    fake.blockCallerIp(true);
    const error = await failure(client().requestToken());
    expect(error).toMatchObject({ code: 'unauthorized_client', retryable: false });
    expect(error.message).toMatch(/trusted IPs \(企业可信IP\)/);
  });

  it('keeps an unknown errcode and its message instead of an invalid_response', async () => {
    fake.inject({ type: 'answer', status: 200, json: { errcode: 48002, errmsg: 'api forbidden' } }, 1);
    const error = await failure(client().requestToken());
    expect(error).toMatchObject({ code: 'server_error', vendorCode: '48002', vendorMessage: 'api forbidden' });
  });
});

describe('tokenProvider', () => {
  it('keeps two applications of one corp apart in one store', async () => {
    const store = new MemoryStore();
    const app = client().tokenProvider({ store });
    const contacts = client({ clientSecret: OTHER_SECRET, application: 'contacts' }).tokenProvider({ store });
    const [a, b] = await Promise.all([app.getAccessToken(), contacts.getAccessToken()]);
    expect(a).not.toBe(b);
    expect(app.key).not.toBe(contacts.key);
    expect(await app.getAccessToken()).toBe(a);
    await Promise.all([app.close(), contacts.close()]);
  });

  it('serves the token to its expiry without asking for the same token again, then gets the new one', async () => {
    const provider = client().tokenProvider();
    const first = await provider.getAccessToken();
    for (const minutesLeft of [10, 3, 1]) {
      now = Date.UTC(2026, 10, 22, 8, 0, 0) + 7200_000 - minutesLeft * 60_000;
      expect(await provider.getAccessToken()).toBe(first);
    }
    expect(fake.tokenCalls()).toBe(1);
    now = Date.UTC(2026, 10, 22, 8, 0, 0) + 7200_000;
    expect(await provider.getAccessToken()).toBe(fake.issued[1]);
    expect(fake.tokenCalls()).toBe(2);
    await provider.close();
  });
});

describe('bearerAuth(provider, WECOM_API_AUTH)', () => {
  it('sends the token in the query, and on 42001 (a token WeCom ended early) invalidates it and retries once', async () => {
    const wecom = client();
    const tokens = wecom.tokenProvider();
    wecom.api.use(bearerAuth(tokens, WECOM_API_AUTH));
    expect((await wecom.api.GET('/cgi-bin/get_api_domain_ip')).data).toMatchObject({ errcode: 0 });
    fake.endEarly();
    expect((await wecom.api.GET('/cgi-bin/get_api_domain_ip')).data).toMatchObject({ errcode: 0 });
    const sent = fake.requests.filter((request) => request.path === '/cgi-bin/get_api_domain_ip').map((request) => request.query.get('access_token'));
    expect(sent).toEqual([fake.issued[0], fake.issued[0], fake.issued[1]]);
    await tokens.close();
  });
});

describe('createWecomClient', () => {
  it.each([
    ['a missing clientSecret', { clientSecret: undefined }],
    ['a missing application', { application: undefined }],
    ['an empty clientId', { clientId: '' }],
    ['a malformed baseUrl', { baseUrl: 'not a url' }],
  ])('rejects %s when the client is created', (_name, overrides) => {
    expect(() => client(overrides as never)).toThrow(TokenError);
  });

  it('uses the documented server by default', () => {
    expect(JSON.stringify(createWecomClient({ clientId: 'ww1', clientSecret: 'secret', application: '1000002' }))).toContain(WECOM_DEFAULT_BASE_URL);
  });

  it('never shows the secret when inspected or serialised', () => {
    const wecom = client();
    for (const shown of [inspect(wecom, { depth: 5 }), JSON.stringify(wecom), String(wecom)]) {
      expect(shown).not.toContain(fake.clientSecret);
      expect(shown).toContain(fake.clientId);
    }
  });
});
