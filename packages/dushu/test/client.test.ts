import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDushuFake, type DushuFake, failure } from '@token-clients/testkit';
import { createDushuClient, TokenError } from '../src/index.js';

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

const client = (overrides: Partial<Parameters<typeof createDushuClient>[0]> = {}) =>
  createDushuClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock, ...overrides });


describe('requestToken', () => {
  it('sends the credentials in the query string of a POST and normalises the answer', async () => {
    const token = await client().requestToken();

    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/oauth/token');
    expect(Object.fromEntries(request!.query)).toEqual({
      grant_type: 'client_credentials',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });
    expect(request?.rawBody.length).toBe(0);

    expect(token.accessToken).toBe(fake.issued[0]);
    expect(token.accessToken.length).toBeGreaterThanOrEqual(512);
    expect(token.tokenType).toBe('bearer');
    expect(token.expiresAt).toBe(now + 7199 * 1000);
    expect(token.scope).toEqual(['ALL']);
    expect(token.refreshToken).toBeUndefined();
    expect(token.raw.expiresIn).toBe(7199);
  });

  it('corrects `expiration` by the clock offset in the Date header and keeps the earlier expiry', async () => {
    // The vendor's clock runs one hour ahead of ours and its token dies sooner than expiresIn says.
    await fake.close();
    fake = await startDushuFake({ now: () => now + 3_600_000 });
    fake.inject({ type: 'mutate', change: (json) => ({ ...json, expiration: now + 3_600_000 + 600_000 }) }, 1);
    const token = await client().requestToken();
    expect(token.expiresAt).toBe(now + 600_000 - 1000);
  });

  it('ignores a skewed `expiration` when expiresIn is the earlier expiry', async () => {
    await fake.close();
    fake = await startDushuFake({ now: () => now - 86_400_000 });
    const token = await client().requestToken();
    expect(token.expiresAt).toBe(now + 7199 * 1000);
  });

  it('accepts expiresIn sent as a string of digits', async () => {
    fake.inject({ type: 'mutate', change: (json) => ({ ...json, expiresIn: '7199' }) }, 1);
    expect((await client().requestToken()).expiresAt).toBe(now + 7199 * 1000);
  });

  it('maps the documented error to invalid_client with the vendor code and message', async () => {
    const error = await failure(client({ clientSecret: 'wrong-secret' }).requestToken());
    expect(error.code).toBe('invalid_client');
    expect(error.status).toBe(401);
    expect(error.vendorCode).toBe('invalid_client');
    expect(error.vendorMessage).toBe('Bad client credentials');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('check clientId and clientSecret');
  });

  it.each([
    ['an HTML 502 page', { type: 'status', status: 502 }, 'server_error', true],
    ['an HTML page with status 200', { type: 'html', status: 200 }, 'invalid_response', false],
    ['truncated JSON', { type: 'truncated' }, 'invalid_response', false],
    ['an empty body', { type: 'empty' }, 'invalid_response', false],
    ['a token that is not a string', { type: 'mutate', change: (json: any) => ({ ...json, value: 42 }) }, 'invalid_response', false],
    ['a missing token', { type: 'mutate', change: ({ value, ...rest }: any) => rest }, 'invalid_response', false],
    ['a lifetime that is not a number', { type: 'mutate', change: (json: any) => ({ ...json, expiresIn: 'soon' }) }, 'invalid_response', false],
    ['a zero lifetime', { type: 'mutate', change: (json: any) => ({ ...json, expiresIn: 0 }) }, 'invalid_response', false],
    ['a token reported as expired', { type: 'mutate', change: (json: any) => ({ ...json, expired: true }) }, 'invalid_response', false],
    ['429 with Retry-After', { type: 'rate-limit', retryAfterSeconds: 30 }, 'rate_limited', true],
  ] as const)('turns %s into a %s TokenError', async (_name, fault, code, retryable) => {
    fake.inject(fault as never, 1);
    const error = await failure(client().requestToken());
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it('keeps Retry-After on a rate-limit error', async () => {
    fake.inject({ type: 'rate-limit', retryAfterSeconds: 30 }, 1);
    expect((await failure(client().requestToken())).retryAfterMs).toBe(30_000);
  });
});

describe('createDushuClient', () => {
  it.each([
    ['a missing clientSecret', { clientSecret: undefined }],
    ['an empty clientId', { clientId: '' }],
    ['a malformed baseUrl', { baseUrl: 'open-platform-test.dushu.io' }],
    ['a negative timeout', { timeoutMs: -1 }],
  ])('rejects %s when the client is created', (_name, overrides) => {
    expect(() => client(overrides as never)).toThrow(TokenError);
    try {
      client(overrides as never);
    } catch (error) {
      expect((error as TokenError).code).toBe('invalid_configuration');
    }
  });

  it('has no default server: the only documented one is a test server, named with environment', () => {
    // Production traffic must never go to the test host unasked (the document names no production host).
    expect(() => createDushuClient({ clientId: 'id', clientSecret: 'secret' })).toThrow(/baseUrl is required: dushu documents no production server \(or environment: "test"/);
    const dushu = createDushuClient({ clientId: 'id', clientSecret: 'secret', environment: 'test' });
    expect(JSON.parse(JSON.stringify(dushu))).toEqual({ vendor: 'dushu', clientId: 'id', baseUrl: 'https://open-platform-test.dushu.io' });
    expect(() => createDushuClient({ clientId: 'id', clientSecret: 'secret', environment: 'production' as never })).toThrow(/environment must be one of "test"/);
  });

  it('never shows the secret when inspected or serialised', () => {
    const dushu = client();
    for (const shown of [inspect(dushu, { depth: 5 }), JSON.stringify(dushu), String(dushu)]) {
      expect(shown).not.toContain(fake.clientSecret);
      expect(shown).toContain(fake.clientId);
    }
  });
});
