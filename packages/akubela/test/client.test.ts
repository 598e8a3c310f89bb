import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusedUrl, startAkubelaFake, type AkubelaFake } from '@token-clients/testkit';
import { createAkubelaClient, TokenError } from '../src/index.js';
import { clockOffset, parseSeconds } from '@token-clients/core/vendor-kit';
import { AKUBELA_MAX_LIFETIME_SECONDS, type AkubelaTokenResponse, type TokenSet } from '../src/index.js';
import { expectNoSecret, failure } from './support.js';

let fake: AkubelaFake;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startAkubelaFake({ now: () => now, scopes: ['hotel', 'manager'], maxExpiresIn: 7200 });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

const client = (overrides: Partial<Parameters<typeof createAkubelaClient>[0]> = {}) =>
  createAkubelaClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock, ...overrides });

describe('requestToken', () => {
  it('sends the client-credentials grant as a form body of a POST and normalises the envelope', async () => {
    const token = await client().requestToken();

    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1.0/invoke/open-ability/method/oauth2/token');
    expect(request?.mediaType).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['accept']).toBe('application/json');
    expect([...request!.query.keys()]).toEqual([]);
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'client_credentials',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      scope: 'hotel',
    });

    expect(token.accessToken).toBe(fake.issued[0]);
    expect(token.refreshToken).toBe(fake.issuedRefreshTokens[0]);
    expect(token.tokenType).toBe('bearer');
    expect(token.expiresAt).toBe(now + 3600 * 1000);
    expect(token.refreshExpiresAt).toBeUndefined();
    expect(token.raw).toMatchObject({ success: true, timestamp: now, result: { expires_in: 3600 } });
    expect(fake.grants).toEqual({ client_credentials: 1, refresh_token: 0 });
  });

  it('sends expires_in when asked and takes the lifetime from the answer, which may be shorter', async () => {
    const token = await client({ expiresIn: 86_400 }).requestToken();
    expect(fake.requests[0]?.form.get('expires_in')).toBe('86400');
    expect(token.expiresAt).toBe(now + 7200 * 1000);

    const shorter = await client({ expiresIn: 86_400 }).requestToken({ expiresIn: 600 });
    expect(fake.requests[1]?.form.get('expires_in')).toBe('600');
    expect(shorter.expiresAt).toBe(now + 600 * 1000);
  });

  it('passes another scope, from the client options or per call', async () => {
    await client({ scope: 'manager' }).requestToken();
    await client().requestToken({ scope: 'manager' });
    expect(fake.requests.map((request) => request.form.get('scope'))).toEqual(['manager', 'manager']);
  });

  it('maps a scope the client may not have to invalid_scope', async () => {
    const error = await failure(client({ scope: 'user' }).requestToken());
    expect(error).toMatchObject({ code: 'invalid_scope', status: 400, vendorCode: 'invalid_scope', retryable: false });
    expect(error.vendorMessage).toBe('Invalid scope: user');
  });

  it('maps bad client credentials to invalid_client without showing the secret', async () => {
    const error = await failure(client({ clientSecret: 'wrong-secret-123' }).requestToken());
    expect(error).toMatchObject({ code: 'invalid_client', status: 401, vendorCode: 'invalid_client', retryable: false });
    expect(error.vendorMessage).toBe('Bad client credentials');
    expect(error.message).toContain('check clientId and clientSecret');
    expectNoSecret(error, ['wrong-secret-123', fake.clientSecret]);
  });

  it('keeps the whole refusal body on the error, out of its serialisation', async () => {
    const error = await failure(client({ scope: 'user' }).requestToken());
    expect(error.body).toMatchObject({ success: false, timestamp: now, error: 'invalid_scope' });
    expect(JSON.stringify(error)).not.toContain('timestamp');
  });

  /**
   * How far Akubela's clock ran ahead of the local one when it issued `token`, from the envelope's `timestamp`
   * (spec ruling 5), or undefined: what a monitor of a drifting clock computes. Expiries never depend on it
   * (`expires_in` is relative); the arrival time is recovered from the (capped) relative expiry.
   */
  function akubelaClockOffset(token: TokenSet<AkubelaTokenResponse>): number | undefined {
    const { timestamp, result } = token.raw;
    const lifetime = parseSeconds(result?.expires_in);
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || lifetime === undefined) return undefined;
    return clockOffset(timestamp, token.expiresAt - Math.min(lifetime, AKUBELA_MAX_LIFETIME_SECONDS) * 1000);
  }

  it('measures the clock skew from `timestamp` without letting it move the expiry', async () => {
    await fake.close();
    fake = await startAkubelaFake({ now: () => now + 3_600_000 });
    const token = await client().requestToken();
    expect(akubelaClockOffset(token)).toBe(3_600_000);
    expect(token.expiresAt).toBe(now + 3600 * 1000);
  });

  it('reports no skew when `timestamp` is unusable', async () => {
    fake.inject({ type: 'mutate', change: ({ timestamp, ...rest }: any) => rest }, 1);
    expect(akubelaClockOffset(await client().requestToken())).toBeUndefined();
  });

  it('accepts a result without refresh_token, and lower-cases the token type', async () => {
    fake.inject({
      type: 'mutate',
      change: (json: any) => ({ ...json, result: { access_token: 'a1', token_type: 'Bearer', expires_in: '3600' } }),
    }, 1);
    const token = await client().requestToken();
    expect(token).toMatchObject({ accessToken: 'a1', tokenType: 'bearer', expiresAt: now + 3600 * 1000 });
    expect(token.refreshToken).toBeUndefined();
  });

  it.each([
    ['code and msg', { success: false, timestamp: 1, code: 10012, msg: 'client disabled' }, 'invalid_request', '10012', 'client disabled'],
    ['error inside result', { success: false, result: { error: 'invalid_client', message: 'no such client' } }, 'invalid_client', 'invalid_client', 'no such client'],
    ['error over code', { success: false, code: 'E1', error: 'invalid_scope', error_description: 'd', msg: 'm' }, 'invalid_scope', 'invalid_scope', 'd'],
    ['a temporary failure', { success: false, error: 'temporarily_unavailable' }, 'server_error', 'temporarily_unavailable', undefined],
  ] as const)('reads `success: false` with status 200 and %s', async (_name, body, code, vendorCode, vendorMessage) => {
    fake.inject({ type: 'mutate', status: 200, change: () => body }, 1);
    const error = await failure(client().requestToken());
    expect(error).toMatchObject({ code, status: 200, vendorCode });
    expect(error.vendorMessage).toBe(vendorMessage);
    expect(error.body).toEqual(body);
  });

  it('reads a non-2xx answer of an unknown shape by its status', async () => {
    fake.inject({ type: 'mutate', status: 403, change: () => ({ message: 'Forbidden: IP not allowed' }) }, 1);
    const error = await failure(client().requestToken());
    expect(error).toMatchObject({ code: 'invalid_client', status: 403, vendorMessage: 'Forbidden: IP not allowed' });
  });

  it('treats a non-2xx status as an error even when the body claims success', async () => {
    fake.inject({ type: 'mutate', status: 503, change: (json) => json }, 1);
    const error = await failure(client().requestToken());
    expect(error).toMatchObject({ code: 'server_error', status: 503, retryable: true });
  });

  it('takes the request id from an x-request-id header', async () => {
    const tagging: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      headers.set('x-request-id', 'req-42');
      return new Response(response.body, { status: response.status, headers });
    };
    const error = await failure(client({ fetch: tagging, scope: 'user' }).requestToken());
    expect(error.requestId).toBe('req-42');
  });

  it.each([
    ['an HTML 502 page', 'server_error', true, { type: 'status', status: 502 }],
    ['an HTML page with status 200', 'invalid_response', false, { type: 'html', status: 200 }],
    ['truncated JSON', 'invalid_response', false, { type: 'truncated' }],
    ['an empty body', 'invalid_response', false, { type: 'empty' }],
    ['a body that is not an object', 'invalid_response', false, { type: 'mutate', change: () => ['success'] }],
    ['success missing', 'invalid_response', false, { type: 'mutate', change: ({ success, ...rest }: any) => rest }],
    ['success as a string', 'invalid_response', false, { type: 'mutate', change: (json: any) => ({ ...json, success: 'true' }) }],
    ['result missing', 'invalid_response', false, { type: 'mutate', change: ({ result, ...rest }: any) => rest }],
    ['result null', 'invalid_response', false, { type: 'mutate', change: (json: any) => ({ ...json, result: null }) }],
    ['result a string', 'invalid_response', false, { type: 'mutate', change: (json: any) => ({ ...json, result: 'token' }) }],
    ['a token that is not a string', 'invalid_response', false, { type: 'mutate', change: (json: any) => ({ ...json, result: { ...json.result, access_token: 42 } }) }],
    ['a missing token', 'invalid_response', false, { type: 'mutate', change: (json: any) => ({ ...json, result: { ...json.result, access_token: undefined } }) }],
    ['a refresh token that is not a string', 'invalid_response', false, { type: 'mutate', change: (json: any) => ({ ...json, result: { ...json.result, refresh_token: 7 } }) }],
    ['a lifetime that is not a number', 'invalid_response', false, { type: 'mutate', change: (json: any) => ({ ...json, result: { ...json.result, expires_in: 'soon' } }) }],
    ['a zero lifetime', 'invalid_response', false, { type: 'mutate', change: (json: any) => ({ ...json, result: { ...json.result, expires_in: 0 } }) }],
    ['a missing lifetime', 'invalid_response', false, { type: 'mutate', change: (json: any) => ({ ...json, result: { ...json.result, expires_in: undefined } }) }],
    ['429 with Retry-After', 'rate_limited', true, { type: 'rate-limit', retryAfterSeconds: 30 }],
    ['a body larger than any token answer', 'invalid_response', false, { type: 'huge', bytes: 1_000_000, declareLength: false }],
  ] as const)('turns %s into a %s TokenError', async (_name, code, retryable, fault) => {
    fake.inject(fault as never, 1);
    const error = await failure(client().requestToken());
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expectNoSecret(error, [fake.clientSecret, ...fake.issued, ...fake.issuedRefreshTokens]);
  });

  it('keeps Retry-After on a rate-limit error', async () => {
    fake.inject({ type: 'rate-limit', retryAfterSeconds: 30 }, 1);
    expect((await failure(client().requestToken())).retryAfterMs).toBe(30_000);
  });

  it('names the broken field without quoting the token', async () => {
    fake.inject({ type: 'mutate', change: (json: any) => ({ ...json, result: { ...json.result, expires_in: -5 } }) }, 1);
    const error = await failure(client().requestToken());
    expect(error.message).toContain('"expires_in"');
    expectNoSecret(error, fake.issued);
  });

  it('turns a connection that is reset, refused or too slow into retryable errors', async () => {
    fake.inject({ type: 'reset' }, 1);
    expect(await failure(client().requestToken())).toMatchObject({ code: 'network_error', retryable: true });
    expect(await failure(client({ baseUrl: await refusedUrl() }).requestToken())).toMatchObject({ code: 'network_error', retryable: true });
    fake.inject({ type: 'stall' }, 1);
    expect(await failure(client({ timeoutMs: 50 }).requestToken())).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('stops when the caller aborts, as a non-retryable error', async () => {
    fake.inject({ type: 'stall' }, 1);
    const controller = new AbortController();
    const pending = client().requestToken({ signal: controller.signal });
    controller.abort();
    expect(await failure(pending)).toMatchObject({ code: 'aborted', retryable: false });
  });

  it.each([
    ['an empty scope', { scope: '' }],
    ['a scope with doubled spaces', { scope: 'hotel  manager' }],
    ['a zero lifetime', { expiresIn: 0 }],
    ['a fractional lifetime', { expiresIn: 1.5 }],
  ])('rejects %s per call without sending anything', async (_name, overrides) => {
    const error = await failure(client().requestToken(overrides));
    // A call's argument, not the client's configuration: the same code as every argument check.
    expect(error.code).toBe('invalid_request');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('createAkubelaClient', () => {
  it.each([
    ['a missing clientSecret', { clientSecret: undefined }],
    ['a clientSecret with a trailing newline', { clientSecret: 'secret\n' }],
    ['an empty clientId', { clientId: '' }],
    ['a malformed baseUrl', { baseUrl: 'api.ecloud.akubela.com' }],
    ['a baseUrl with a query string', { baseUrl: 'https://api.ecloud.akubela.com/?a=1' }],
    ['a negative timeout', { timeoutMs: -1 }],
    ['an empty scope', { scope: '' }],
    ['a scope with surrounding spaces', { scope: ' hotel' }],
    ['a scope that is not a string', { scope: ['hotel'] }],
    ['a zero lifetime', { expiresIn: 0 }],
    ['a negative lifetime', { expiresIn: -60 }],
    ['a lifetime given as a string', { expiresIn: '3600' }],
  ])('rejects %s when the client is created', (_name, overrides) => {
    let thrown: unknown;
    try {
      client(overrides as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TokenError);
    expect((thrown as TokenError).code).toBe('invalid_configuration');
    expect((thrown as TokenError).message).not.toContain(fake.clientSecret);
  });

  it('defaults to the European production cloud and the hotel scope', () => {
    const akubela = createAkubelaClient({ clientId: 'id', clientSecret: 'secret' });
    expect(JSON.parse(JSON.stringify(akubela))).toEqual({
      vendor: 'akubela',
      clientId: 'id',
      baseUrl: 'https://api.ecloud.akubela.com',
      scope: 'hotel',
    });
  });

  it('never shows the secret when inspected or serialised', () => {
    const akubela = client({ expiresIn: 600 });
    for (const shown of [inspect(akubela, { depth: 5 }), JSON.stringify(akubela), String(akubela)]) {
      expect(shown).not.toContain(fake.clientSecret);
      expect(shown).toContain(fake.clientId);
    }
  });
});
