import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusedUrl, startFantemFake, type FantemFake, type FantemFakeOptions, failure } from '@token-clients/testkit';
import { createFantemClient, FANTEM_DEFAULT_BASE_URL, TokenError } from '../src/index.js';

const REDIRECT_URI = 'https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA';

let fake: FantemFake;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startFantemFake({ now: () => now });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

async function restartFake(options: FantemFakeOptions): Promise<void> {
  await fake.close();
  fake = await startFantemFake({ now: () => now, ...options });
}

const client = (overrides: Partial<Parameters<typeof createFantemClient>[0]> = {}) =>
  createFantemClient({ clientId: fake.clientId, baseUrl: fake.url, clock, ...overrides });


/** Everything a log line could show of an error. */
const shown = (error: TokenError) => [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 5 })];

describe('exchangeCode', () => {
  it('posts the documented fields as multipart/form-data and normalises the answer', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    const token = await client().exchangeCode({ code, redirectUri: REDIRECT_URI });

    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/oauth/token');
    expect(request?.mediaType).toBe('multipart/form-data');
    expect(request?.headers['content-type']).toMatch(/boundary=/);
    expect([...request!.query]).toEqual([]);
    // Ruling 3: the optional client_id and redirect_uri are sent; no client_secret was configured (ruling 8).
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'authorization_code',
      client_id: fake.clientId,
      code,
      redirect_uri: REDIRECT_URI,
    });

    const issued = fake.issued[0]!;
    expect(token.accessToken).toBe(issued.accessToken);
    expect(token.accessToken).toHaveLength(32); // not String(16): ruling 2
    expect(token.refreshToken).toBe(issued.refreshToken);
    expect(token.tokenType).toBe('bearer');
    expect(token.expiresAt).toBe(now + 36000 * 1000);
    expect(token.raw).toEqual({ access_token: issued.accessToken, refresh_token: issued.refreshToken, expires_in: 36000 });
    expect(fake.counts.authorizationCode).toBe(1);
  });

  it('leaves redirect_uri out when none is given', async () => {
    await client().exchangeCode({ code: fake.issueCode() });
    expect(fake.requests[0]!.form.has('redirect_uri')).toBe(false);
  });

  it('sends client_secret beside client_id only when one is configured', async () => {
    await client({ clientSecret: 'alexa-linking-secret' }).exchangeCode({ code: fake.issueCode() });
    await client({ clientSecret: 'alexa-linking-secret' }).refresh(fake.issued[0]!.refreshToken);
    expect(fake.requests[0]!.form.get('client_secret')).toBe('alexa-linking-secret');
    expect(fake.requests[1]!.form.get('client_secret')).toBe('alexa-linking-secret');
  });

  it('accepts expires_in sent as a string, as the parameter table says (ruling 1)', async () => {
    await restartFake({ expiresInAs: 'string', expiresIn: 7200 });
    const token = await client().exchangeCode({ code: fake.issueCode() });
    expect(token.raw.expires_in).toBe('7200');
    expect(token.expiresAt).toBe(now + 7200 * 1000);
  });

  it('computes the expiry from the local time the answer arrived, not the vendor clock', async () => {
    await restartFake({ now: () => now + 3_600_000 });
    const token = await client().exchangeCode({ code: fake.issueCode() });
    expect(token.expiresAt).toBe(now + 36000 * 1000);
  });

  it('turns a spent code into invalid_grant with the vendor text (ruling 6)', async () => {
    const code = fake.issueCode();
    await client().exchangeCode({ code });
    const error = await failure(client().exchangeCode({ code }));
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.vendorMessage).toBe('code不存在');
    expect(error.retryable).toBe(false);
    expect(error.body).toBe('code不存在');
    for (const text of shown(error)) expect(text).not.toContain(code);
  });

  it('turns a bare 400 with no body into invalid_grant and keeps the empty body', async () => {
    await restartFake({ errorBody: 'empty' });
    const error = await failure(client().exchangeCode({ code: 'bcb09cffbe2c4d31' }));
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.vendorMessage).toBeUndefined();
    expect(error.body).toBe('');
  });

  it('fails with invalid_grant when the redirect URI is not the one the code was issued for', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    const error = await failure(client().exchangeCode({ code, redirectUri: 'https://elsewhere.example/cb' }));
    expect(error.code).toBe('invalid_grant');
    expect(fake.counts.rejected).toBe(1);
  });

  it('fails with invalid_grant when the client id is not the gateway’s (a bare 400 cannot say more)', async () => {
    const error = await failure(client({ clientId: 'someone-else' }).exchangeCode({ code: fake.issueCode() }));
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
  });

  it('still returns the access token when the answer lacks the refresh token (ruling 9)', async () => {
    fake.inject({ type: 'mutate', change: ({ refresh_token, ...rest }: any) => rest }, 1);
    const token = await client().exchangeCode({ code: fake.issueCode() });
    expect(token.accessToken).toBe(fake.issued[0]!.accessToken);
    expect(token.refreshToken).toBeUndefined();
  });

  it('uses a token_type when one is sent, lower-cased', async () => {
    fake.inject({ type: 'mutate', change: (json: any) => ({ ...json, token_type: 'Bearer' }) }, 1);
    expect((await client().exchangeCode({ code: fake.issueCode() })).tokenType).toBe('bearer');
  });

  it.each([
    ['an empty code', { code: '' }],
    ['a missing code', {}],
    ['a code with surrounding whitespace', { code: ' bcb09cffbe2c4d31 ' }],
    ['an empty redirect URI', { code: 'bcb09cffbe2c4d31', redirectUri: '' }],
  ])('rejects %s without sending anything', async (_name, exchange) => {
    const error = await failure(client().exchangeCode(exchange as never));
    expect(error.code).toBe('invalid_request');
    expect(error.retryable).toBe(false);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('refresh', () => {
  it('posts the refresh token as multipart/form-data and keeps it, since it does not rotate (ruling 5)', async () => {
    const first = await client().exchangeCode({ code: fake.issueCode() });
    now += 60_000;
    const refreshed = await client().refresh(first.refreshToken!);

    const request = fake.requests[1]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/oauth/token');
    expect(request.mediaType).toBe('multipart/form-data');
    expect([...request.query]).toEqual([]);
    expect(Object.fromEntries(request.form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: first.refreshToken,
      client_id: fake.clientId,
    });

    expect(refreshed.accessToken).toBe(fake.issued[1]!.accessToken);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.refreshToken).toBe(first.refreshToken);
    expect(refreshed.expiresAt).toBe(now + 36000 * 1000);
    expect(refreshed.raw).toEqual({ access_token: refreshed.accessToken, expires_in: 36000 });

    // The same refresh token keeps working.
    const again = await client().refresh(refreshed.refreshToken!);
    expect(again.accessToken).toBe(fake.issued[2]!.accessToken);
    expect(fake.counts.refreshToken).toBe(2);
  });

  it('takes a new refresh token should the answer ever carry one', async () => {
    const { refreshToken } = await client().exchangeCode({ code: fake.issueCode() });
    fake.inject({ type: 'mutate', change: (json: any) => ({ ...json, refresh_token: 'ROTATED0000000000000000000000000' }) }, 1);
    expect((await client().refresh(refreshToken!)).refreshToken).toBe('ROTATED0000000000000000000000000');
  });

  it('turns a revoked refresh token into invalid_grant without showing it', async () => {
    const { refreshToken } = await client({ clientSecret: 'alexa-linking-secret' }).exchangeCode({ code: fake.issueCode() });
    expect(fake.revokeRefreshToken(refreshToken!)).toBe(true);
    const error = await failure(client({ clientSecret: 'alexa-linking-secret' }).refresh(refreshToken!));
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.vendorMessage).toBe('refreshToken不存在');
    expect(error.retryable).toBe(false);
    for (const text of shown(error)) {
      expect(text).not.toContain(refreshToken);
      expect(text).not.toContain('alexa-linking-secret');
    }
  });

  it('redacts the refresh token should the gateway echo it in its error', async () => {
    const { refreshToken } = await client({ clientSecret: 'alexa-linking-secret' }).exchangeCode({ code: fake.issueCode() });
    fake.inject({ type: 'mutate', status: 400, change: () => ({ message: `refreshToken ${refreshToken} / alexa-linking-secret 不存在` }) }, 1);
    const error = await failure(client({ clientSecret: 'alexa-linking-secret' }).refresh(refreshToken!));
    expect(error.code).toBe('invalid_grant');
    expect(error.vendorMessage).toBe('refreshToken [redacted] / [redacted] 不存在');
    for (const text of shown(error)) {
      expect(text).not.toContain(refreshToken);
      expect(text).not.toContain('alexa-linking-secret');
    }
  });

  it.each([
    ['an empty refresh token', ''],
    ['no refresh token', undefined],
    ['a refresh token that is not a string', 42],
  ])('rejects %s without sending anything', async (_name, refreshToken) => {
    const error = await failure(client().refresh(refreshToken as never));
    expect(error.code).toBe('invalid_request');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('what real servers also send', () => {
  it.each([
    ['an HTML 502 page', { type: 'status', status: 502 }, 'server_error', true],
    ['an HTML 401 page', { type: 'status', status: 401 }, 'invalid_client', false],
    ['an HTML page with status 200', { type: 'html', status: 200 }, 'invalid_response', false],
    ['truncated JSON', { type: 'truncated' }, 'invalid_response', false],
    ['an empty body', { type: 'empty' }, 'invalid_response', false],
    ['a body that is not an object', { type: 'mutate', change: () => [] }, 'invalid_response', false],
    ['a token that is not a string', { type: 'mutate', change: (json: any) => ({ ...json, access_token: 42 }) }, 'invalid_response', false],
    ['an empty token', { type: 'mutate', change: (json: any) => ({ ...json, access_token: '' }) }, 'invalid_response', false],
    ['a missing token', { type: 'mutate', change: ({ access_token, ...rest }: any) => rest }, 'invalid_response', false],
    ['a missing lifetime', { type: 'mutate', change: ({ expires_in, ...rest }: any) => rest }, 'invalid_response', false],
    ['a lifetime in words', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: 'ten hours' }) }, 'invalid_response', false],
    ['a fractional lifetime', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: 36000.5 }) }, 'invalid_response', false],
    ['a null lifetime', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: null }) }, 'invalid_response', false],
    ['a zero lifetime', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: 0 }) }, 'invalid_response', false],
    ['a zero lifetime as a string', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: '0' }) }, 'invalid_response', false],
    ['a negative lifetime', { type: 'mutate', change: (json: any) => ({ ...json, expires_in: -1 }) }, 'invalid_response', false],
    ['a refresh token that is not a string', { type: 'mutate', change: (json: any) => ({ ...json, refresh_token: 1 }) }, 'invalid_response', false],
    ['a JSON 500', { type: 'mutate', status: 500, change: () => ({ message: 'internal error' }) }, 'server_error', true],
    ['429 with Retry-After', { type: 'rate-limit', retryAfterSeconds: 30 }, 'rate_limited', true],
    ['a reset connection', { type: 'reset' }, 'network_error', true],
    ['a body of 10 MB', { type: 'huge', bytes: 10 * 1024 * 1024, declareLength: false }, 'invalid_response', false],
  ] as const)('turns %s into a %s TokenError', async (_name, fault, code, retryable) => {
    fake.inject(fault as never, 1);
    const error = await failure(client().exchangeCode({ code: fake.issueCode() }));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it('keeps Retry-After on a rate-limit error', async () => {
    fake.inject({ type: 'rate-limit', retryAfterSeconds: 30 }, 1);
    expect((await failure(client().exchangeCode({ code: fake.issueCode() }))).retryAfterMs).toBe(30_000);
  });

  it('never quotes the token it could not use in the error', async () => {
    fake.inject({ type: 'mutate', change: (json: any) => ({ ...json, expires_in: 'soon' }) }, 1);
    const error = await failure(client().exchangeCode({ code: fake.issueCode() }));
    for (const text of shown(error)) expect(text).not.toContain(fake.issued[0]!.accessToken);
  });

  it('times out a server that never answers', async () => {
    fake.inject({ type: 'stall' }, 1);
    const error = await failure(client({ timeoutMs: 50 }).exchangeCode({ code: fake.issueCode() }));
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('reports a refused connection as a retryable network_error', async () => {
    const error = await failure(client({ baseUrl: await refusedUrl() }).refresh('567030884C7EA513FB843843859A58C3'));
    expect(error.code).toBe('network_error');
    expect(error.retryable).toBe(true);
  });

  it('stops when the caller aborts, without calling it retryable', async () => {
    fake.inject({ type: 'stall' }, 1);
    const controller = new AbortController();
    const pending = client().exchangeCode({ code: fake.issueCode() }, { signal: controller.signal });
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe('aborted');
    expect(error.retryable).toBe(false);
  });

  it('scrubs the secrets from an error a custom fetch throws', async () => {
    const fantem = client({
      clientSecret: 'alexa-linking-secret',
      fetch: async (input) => {
        const form = await (input as Request).formData();
        throw new Error(`proxy refused ${String(form.get('code'))} / ${String(form.get('client_secret'))}`);
      },
    });
    const error = await failure(fantem.exchangeCode({ code: 'bcb09cffbe2c4d31' }));
    expect(error.code).toBe('network_error');
    for (const text of shown(error)) {
      expect(text).not.toContain('bcb09cffbe2c4d31');
      expect(text).not.toContain('alexa-linking-secret');
    }
  });
});

describe('createFantemClient', () => {
  it.each([
    ['no options', undefined],
    ['a missing clientId', { clientId: undefined }],
    ['an empty clientId', { clientId: '' }],
    ['an empty clientSecret', { clientSecret: '' }],
    ['a clientSecret with surrounding whitespace', { clientSecret: ' secret' }],
    ['a clientSecret that is not a string', { clientSecret: 42 }],
    ['a malformed baseUrl', { baseUrl: 'openapi.fantem-gateway.com' }],
    ['a baseUrl with a query string', { baseUrl: 'http://openapi.fantem-gateway.com/?x=1' }],
    ['a negative timeout', { timeoutMs: -1 }],
    ['a fetch that is not a function', { fetch: 'fetch' }],
  ])('rejects %s when the client is created', (_name, overrides) => {
    const create = () => (overrides === undefined ? createFantemClient(undefined as never) : client(overrides as never));
    expect(create).toThrow(TokenError);
    try {
      create();
    } catch (error) {
      expect((error as TokenError).code).toBe('invalid_configuration');
    }
  });

  it('defaults to the documented plain-http server', () => {
    expect(FANTEM_DEFAULT_BASE_URL).toBe('http://openapi.fantem-gateway.com');
    const fantem = createFantemClient({ clientId: 'id' });
    expect(JSON.stringify(fantem)).toContain('"baseUrl":"http://openapi.fantem-gateway.com"');
  });

  it('works without a client secret, since the document has none', () => {
    expect(() => createFantemClient({ clientId: 'id' })).not.toThrow();
  });

  it('never shows the secret when inspected or serialised', () => {
    const fantem = client({ clientSecret: 'alexa-linking-secret' });
    for (const text of [inspect(fantem, { depth: 5 }), JSON.stringify(fantem), String(fantem)]) {
      expect(text).not.toContain('alexa-linking-secret');
      expect(text).toContain(fake.clientId);
    }
  });

  it('exposes the typed openapi-fetch client', async () => {
    // The urlencoded form the spec also lists (ruling 4), through openapi-fetch's own serializer.
    const { response } = await client().api.POST('/oauth/token', {
      body: { grant_type: 'refresh_token', refresh_token: 'unknown', client_id: fake.clientId },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      parseAs: 'text',
    });
    expect(response.status).toBe(400);
    expect(fake.requests[0]!.mediaType).toBe('application/x-www-form-urlencoded');
    expect(fake.requests[0]!.form.get('refresh_token')).toBe('unknown');
  });
});
