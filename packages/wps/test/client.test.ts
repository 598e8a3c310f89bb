import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusedUrl, startWpsFake, type Fault, type WpsFake, type WpsFakeOptions, failure } from '@token-clients/testkit';
import { createWpsClient, TokenError, WPS_DEFAULT_BASE_URL } from '../src/index.js';

let fake: WpsFake;
let now: number;
const clock = { now: () => now };
const REDIRECT_URI = 'https://app.example/wps/callback';

async function restartFake(options: WpsFakeOptions = {}): Promise<void> {
  await fake?.close();
  fake = await startWpsFake({ now: () => now, ...options });
}

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startWpsFake({ now: () => now });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

const client = (overrides: Partial<Parameters<typeof createWpsClient>[0]> = {}) =>
  createWpsClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock, ...overrides });

const exchange = (wps = client()) => wps.exchangeCode({ code: fake.issueCode({ redirectUri: REDIRECT_URI }), redirectUri: REDIRECT_URI });


describe('exchangeCode', () => {
  it('posts the five documented fields as a urlencoded body and normalises the user token', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    const token = await client().exchangeCode({ code, redirectUri: REDIRECT_URI });

    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/oauth2/token');
    expect(request?.mediaType).toBe('application/x-www-form-urlencoded');
    expect([...request!.query]).toEqual([]);
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'authorization_code',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      code,
      redirect_uri: REDIRECT_URI,
    });

    expect(token.accessToken).toBe(fake.issued[0]);
    expect(token.refreshToken).toBe(fake.issuedRefreshTokens[0]);
    expect(token.tokenType).toBe('bearer');
    expect(token.expiresAt).toBe(now + 7200 * 1000);
    expect(token.refreshExpiresAt).toBe(now + 2_592_000 * 1000);
    expect(token.raw.refresh_expires_in).toBe(2_592_000);
  });

  it('accepts refresh_expires_in sent as a string, as the document lists it (ruling 1)', async () => {
    fake.inject({ type: 'mutate', change: (json) => ({ ...json, refresh_expires_in: '2592000' }) }, 1);
    expect((await exchange()).refreshExpiresAt).toBe(now + 2_592_000 * 1000);
  });

  it('lower-cases token_type and defaults it to bearer', async () => {
    fake.inject({ type: 'mutate', change: (json) => ({ ...json, token_type: 'Bearer' }) }, 1);
    expect((await exchange()).tokenType).toBe('bearer');
    fake.inject({ type: 'mutate', change: ({ token_type, ...rest }) => rest }, 1);
    expect((await exchange()).tokenType).toBe('bearer');
  });

  it('leaves the refresh expiry unknown when the answer does not give it', async () => {
    fake.inject({ type: 'mutate', change: ({ refresh_expires_in, ...rest }) => rest }, 1);
    const token = await exchange();
    expect(token.refreshToken).toBeDefined();
    expect(token.refreshExpiresAt).toBeUndefined();
  });

  it('accepts a success body that carries code 0', async () => {
    fake.inject({ type: 'mutate', change: (json) => ({ ...json, code: 0 }) }, 1);
    expect((await exchange()).accessToken).toBe(fake.issued[0]);
  });

  it('turns a spent code into invalid_grant with the vendor code and message', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    await client().exchangeCode({ code, redirectUri: REDIRECT_URI });
    const error = await failure(client().exchangeCode({ code, redirectUri: REDIRECT_URI }));
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.vendorCode).toBe('40002');
    expect(error.vendorMessage).toBe('code has been used');
    expect(error.retryable).toBe(false);
    expect(fake.spentCodeUses).toBe(1);
  });

  it('turns a redirect_uri that does not match the code into invalid_grant', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    const error = await failure(client().exchangeCode({ code, redirectUri: 'https://other.example/cb' }));
    expect(error.code).toBe('invalid_grant');
    expect(error.vendorMessage).toBe('redirect_uri mismatch');
  });

  it('turns an expired code into invalid_grant', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    now += 601_000;
    expect((await failure(client().exchangeCode({ code, redirectUri: REDIRECT_URI }))).code).toBe('invalid_grant');
  });

  it('turns refused credentials into invalid_client', async () => {
    const error = await failure(exchange(client({ clientSecret: 'wrong-secret' })));
    expect(error.code).toBe('invalid_client');
    expect(error.status).toBe(401);
    expect(error.vendorCode).toBe('40001');
    expect(error.vendorMessage).toBe('invalid client');
    expect(error.message).toContain('check clientId and clientSecret');
  });

  it('treats a non-zero code in a 200 answer as a refused grant (ruling 2)', async () => {
    fake.inject({ type: 'mutate', status: 200, change: () => ({ code: 40002, msg: 'invalid code' }) }, 1);
    const error = await failure(exchange());
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(200);
    expect(error.vendorCode).toBe('40002');
    expect(error.vendorMessage).toBe('invalid code');
  });

  it('treats a non-zero code as an error even next to an access_token', async () => {
    fake.inject({ type: 'mutate', change: (json) => ({ ...json, code: 50001, msg: 'partial failure' }) }, 1);
    const error = await failure(exchange());
    expect(error.code).toBe('invalid_grant');
    expect(error.vendorCode).toBe('50001');
  });

  it('rejects a missing code or redirectUri before sending anything', async () => {
    const wps = client();
    for (const grant of [{ code: '', redirectUri: REDIRECT_URI }, { code: 'ga1', redirectUri: undefined }, undefined]) {
      const error = await failure(wps.exchangeCode(grant as never));
      expect(error.code).toBe('invalid_request');
      expect(error.retryable).toBe(false);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('refresh', () => {
  it('posts the refresh_token grant and replaces a rotated refresh token (ruling 4)', async () => {
    const first = await exchange();
    const second = await client().refresh(first.refreshToken!);

    const request = fake.requests[1];
    expect(request?.mediaType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'refresh_token',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      refresh_token: first.refreshToken,
    });
    expect(second.accessToken).toBe(fake.issued[1]);
    expect(second.refreshToken).toBe(fake.issuedRefreshTokens[1]);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.refreshExpiresAt).toBe(now + 2_592_000 * 1000);
    expect(fake.spentRefreshTokenUses).toBe(0);
  });

  it('turns a spent refresh token into invalid_grant, and the fake counts the reuse', async () => {
    const first = await exchange();
    await client().refresh(first.refreshToken!);
    const error = await failure(client().refresh(first.refreshToken!));
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.vendorCode).toBe('40003');
    expect(fake.spentRefreshTokenUses).toBe(1);
  });

  it('keeps the old refresh token, its expiry unknown, when the answer carries none', async () => {
    await restartFake({ rotateRefreshTokens: false });
    const first = await exchange();
    now += 3_600_000;
    const second = await client().refresh(first.refreshToken!);
    expect(second.accessToken).toBe(fake.issued[1]);
    expect(second.refreshToken).toBe(first.refreshToken);
    expect(second.refreshExpiresAt).toBeUndefined();
    expect(second.expiresAt).toBe(now + 7200 * 1000);
    // Without rotation the same refresh token stays usable.
    expect((await client().refresh(first.refreshToken!)).refreshToken).toBe(first.refreshToken);
    expect(fake.spentRefreshTokenUses).toBe(0);
  });

  it('takes the refresh expiry from an answer without a new refresh token when it gives one', async () => {
    const first = await exchange();
    fake.inject({ type: 'mutate', change: ({ refresh_token, ...rest }) => ({ ...rest, refresh_expires_in: 86_400 }) }, 1);
    const second = await client().refresh(first.refreshToken!);
    expect(second.refreshToken).toBe(first.refreshToken);
    expect(second.refreshExpiresAt).toBe(now + 86_400 * 1000);
  });

  it('turns an expired or revoked refresh token into invalid_grant', async () => {
    await restartFake({ refreshExpiresIn: 60 });
    const expired = await exchange();
    now += 60_000;
    expect((await failure(client().refresh(expired.refreshToken!))).code).toBe('invalid_grant');

    const revoked = await exchange();
    fake.revokeRefreshToken(revoked.refreshToken!);
    expect((await failure(client().refresh(revoked.refreshToken!))).code).toBe('invalid_grant');
    expect(fake.spentRefreshTokenUses).toBe(0);
  });

  it('never puts the refresh token into an error, even when the vendor echoes it', async () => {
    const first = await exchange();
    const refreshToken = first.refreshToken!;
    fake.inject({ type: 'mutate', status: 400, change: () => ({ code: 40003, msg: `invalid refresh_token ${refreshToken}` }) }, 1);
    const error = await failure(client().refresh(refreshToken));
    expect(error.vendorMessage).toBe('invalid refresh_token [redacted]');
    for (const shown of [error.message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(shown).not.toContain(refreshToken);
      expect(shown).not.toContain(fake.clientSecret);
    }
  });

  it('rejects an empty refresh token before sending anything', async () => {
    const error = await failure(client().refresh(''));
    expect(error.code).toBe('invalid_request');
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects a code or refresh token with surrounding whitespace, naming it but not showing it', async () => {
    const wps = client();
    const padded = [
      failure(wps.exchangeCode({ code: ' ga1-padded-code ', redirectUri: REDIRECT_URI })),
      failure(wps.refresh('rt-padded-token\n')),
    ];
    const [code, refreshToken] = await Promise.all(padded);
    expect(code!.message).toBe('wps exchangeCode: code has leading or trailing whitespace (a copy-paste slip?); nothing was sent.');
    expect(refreshToken!.message).toContain('wps refresh: refreshToken has leading or trailing whitespace');
    for (const error of [code!, refreshToken!]) {
      expect(error.code).toBe('invalid_request');
      expect(error.message).not.toMatch(/ga1-padded-code|rt-padded-token/);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('requestToken', () => {
  it('posts the client_credentials grant and returns an app token without refresh fields', async () => {
    const token = await client().requestToken();

    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/oauth2/token');
    expect(request?.mediaType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'client_credentials',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });
    expect(token.accessToken).toBe(fake.issued[0]);
    expect(token.expiresAt).toBe(now + 7200 * 1000);
    expect(token.refreshToken).toBeUndefined();
    expect(token.refreshExpiresAt).toBeUndefined();
  });

  it('turns a refused app-token request into invalid_client, whatever status carries it', async () => {
    expect((await failure(client({ clientSecret: 'wrong-secret' }).requestToken())).code).toBe('invalid_client');
    fake.inject({ type: 'mutate', status: 400, change: () => ({ code: 40004, msg: 'unsupported grant_type' }) }, 1);
    const error = await failure(client().requestToken());
    expect(error.code).toBe('invalid_client');
    expect(error.vendorCode).toBe('40004');
    fake.inject({ type: 'mutate', status: 200, change: () => ({ code: 40001, msg: 'invalid client' }) }, 1);
    expect((await failure(client().requestToken())).code).toBe('invalid_client');
  });
});

describe('failures real servers also send', () => {
  const calls = {
    exchangeCode: () => exchange(),
    requestToken: () => client().requestToken(),
  };

  it.each([
    ['an HTML 502 page', { type: 'status', status: 502 }, 'server_error', true],
    ['an HTML page with status 200', { type: 'html', status: 200 }, 'invalid_response', false],
    ['an HTML 400 page from a proxy', { type: 'html', status: 400 }, 'invalid_request', false],
    ['an HTML 404 page', { type: 'html', status: 404 }, 'invalid_request', false],
    ['truncated JSON', { type: 'truncated' }, 'invalid_response', false],
    ['an empty body', { type: 'empty' }, 'invalid_response', false],
    ['a token that is not a string', { type: 'mutate', change: (json: any) => ({ ...json, access_token: 42 }) }, 'invalid_response', false],
    ['a missing token', { type: 'mutate', change: ({ access_token, ...rest }: any) => rest }, 'invalid_response', false],
    ['a JSON array', { type: 'mutate', change: (json: any) => [json] }, 'invalid_response', false],
    ['a lifetime that is not a number', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: 'soon' }) }, 'invalid_response', false],
    ['a zero lifetime', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: 0 }) }, 'invalid_response', false],
    ['a negative lifetime', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: -5 }) }, 'invalid_response', false],
    ['a token type that is not a string', { type: 'mutate', change: (json: any) => ({ ...json, token_type: 1 }) }, 'invalid_response', false],
    ['429 with Retry-After', { type: 'rate-limit', retryAfterSeconds: 30 }, 'rate_limited', true],
    ['a 503 in the vendor error shape', { type: 'mutate', status: 503, change: () => ({ code: 50000, msg: 'busy' }) }, 'server_error', true],
    ['a 429 in the vendor error shape', { type: 'mutate', status: 429, change: () => ({ code: 42900, msg: 'too many' }) }, 'rate_limited', true],
    ['a 403 in the vendor error shape', { type: 'mutate', status: 403, change: () => ({ code: 40300, msg: 'forbidden' }) }, 'invalid_client', false],
  ] as const)('turns %s into a %s TokenError', async (_name, fault, code, retryable) => {
    for (const call of Object.values(calls)) {
      fake.inject(fault as Fault, 1);
      const error = await failure(call());
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(retryable);
    }
  });

  it.each([
    ['a refresh token that is not a string', { refresh_token: 42 }],
    ['a refresh lifetime that is not a number', { refresh_expires_in: 'thirty days' }],
    ['a zero refresh lifetime', { refresh_expires_in: '0' }],
  ])('turns %s into invalid_response', async (_name, change) => {
    fake.inject({ type: 'mutate', change: (json) => ({ ...json, ...change }) }, 1);
    expect((await failure(exchange())).code).toBe('invalid_response');
  });

  it('keeps Retry-After on a rate-limit error', async () => {
    fake.inject({ type: 'rate-limit', retryAfterSeconds: 30 }, 1);
    expect((await failure(client().requestToken())).retryAfterMs).toBe(30_000);
  });

  it('turns a refused connection into a retryable network_error', async () => {
    const error = await failure(client({ baseUrl: await refusedUrl() }).requestToken());
    expect(error.code).toBe('network_error');
    expect(error.retryable).toBe(true);
  });

  it('turns a server that never answers into a timeout', async () => {
    fake.inject({ type: 'stall' }, 1);
    const error = await failure(client({ timeoutMs: 50 }).requestToken());
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('stops when the caller aborts', async () => {
    fake.inject({ type: 'stall' }, 1);
    const controller = new AbortController();
    const pending = client().requestToken({ signal: controller.signal });
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe('aborted');
    expect(error.retryable).toBe(false);
  });
});

describe('createWpsClient', () => {
  it.each([
    ['no options', undefined],
    ['a missing clientSecret', { clientSecret: undefined }],
    ['an empty clientSecret', { clientSecret: '' }],
    ['an empty clientId', { clientId: '' }],
    ['a clientId with trailing whitespace', { clientId: 'AK2024 ' }],
    ['a malformed baseUrl', { baseUrl: 'openapi.wps.cn' }],
    ['a baseUrl with a query string', { baseUrl: 'https://openapi.wps.cn/?x=1' }],
    ['a negative timeout', { timeoutMs: -1 }],
    ['a fetch that is not a function', { fetch: 'fetch' }],
  ])('rejects %s when the client is created', (_name, overrides) => {
    const create = () => (overrides === undefined ? createWpsClient(undefined as never) : client(overrides as never));
    expect(create).toThrow(TokenError);
    try {
      create();
    } catch (error) {
      expect((error as TokenError).code).toBe('invalid_configuration');
    }
  });

  it('defaults to the documented production server', async () => {
    expect(WPS_DEFAULT_BASE_URL).toBe('https://openapi.wps.cn');
    const urls: string[] = [];
    const wps = createWpsClient({
      clientId: 'id',
      clientSecret: 'secret',
      fetch: async (request) => {
        urls.push((request as Request).url);
        return new Response('{"access_token":"t","expires_in":7200}', { headers: { 'content-type': 'application/json' } });
      },
    });
    await wps.requestToken();
    expect(urls).toEqual(['https://openapi.wps.cn/oauth2/token']);
    expect(JSON.stringify(wps)).toContain('https://openapi.wps.cn');
  });

  it('gives the typed api a urlencoded body by default, as the endpoint requires', async () => {
    const { data, response } = await client().api.POST('/oauth2/token', {
      body: { grant_type: 'client_credentials', client_id: fake.clientId, client_secret: fake.clientSecret },
    });
    expect(response.status).toBe(200);
    expect(fake.requests[0]?.mediaType).toBe('application/x-www-form-urlencoded');
    expect(data && 'access_token' in data ? data.access_token : undefined).toBe(fake.issued[0]);
  });

  it('never shows the secret when inspected or serialised', () => {
    const wps = client();
    for (const shown of [inspect(wps, { depth: 5 }), JSON.stringify(wps), String(wps)]) {
      expect(shown).not.toContain(fake.clientSecret);
      expect(shown).toContain(fake.clientId);
    }
  });

  it('never puts the secret or the code into an error', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    fake.inject({ type: 'mutate', status: 400, change: () => ({ code: 40002, msg: `bad code ${code} for ${fake.clientSecret}` }) }, 1);
    const error = await failure(client().exchangeCode({ code, redirectUri: REDIRECT_URI }));
    for (const shown of [error.message, error.vendorMessage ?? '', JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(shown).not.toContain(code);
      expect(shown).not.toContain(fake.clientSecret);
    }
  });
});
