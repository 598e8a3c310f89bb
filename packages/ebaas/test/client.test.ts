import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusedUrl, startEbaasFake, type EbaasFake, failure } from '@token-clients/testkit';
import { createEbaasClient, EBAAS_DEV_BASE_URL, EBAAS_TEST_BASE_URL, TokenError } from '../src/index.js';

let fake: EbaasFake;
let now: number;
const clock = { now: () => now };
const HOUR = 3_600_000;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startEbaasFake({ now: () => now });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

const client = (overrides: Partial<Parameters<typeof createEbaasClient>[0]> = {}) =>
  createEbaasClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock, ...overrides });

/** A fetch that drops the response's Date header, as some gateways do. */
const withoutDateHeader: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const headers = new Headers(response.headers);
  headers.delete('date');
  return new Response(response.body, { status: response.status, headers });
};

/** Restarts the fake with its clock `skewMs` away from ours. */
async function restartFakeWithSkew(skewMs: number, lifetimeSeconds?: number): Promise<void> {
  await fake.close();
  fake = await startEbaasFake({ now: () => now + skewMs, ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }) });
}

describe('requestToken', () => {
  it('sends the credentials in the query string of a GET without a body and normalises the answer', async () => {
    const token = await client().requestToken();

    const [request] = fake.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/oauth/getAccessToken');
    expect(Object.fromEntries(request!.query)).toEqual({ client_id: fake.clientId, client_secret: fake.clientSecret });
    expect(request?.rawBody.length).toBe(0);
    expect(request?.mediaType).toBeUndefined();

    expect(token.accessToken).toBe(fake.issued[0]);
    expect(token.tokenType).toBe('bearer');
    // `expired` = iat + 7201 s on the vendor's clock; the Date header (same clock, whole seconds) costs 1 s.
    expect(token.raw.data.expired).toBe('2026-11-22 18:00:01');
    expect(token.expiresAt).toBe(now + 7200_000);
    expect(token.refreshToken).toBeUndefined();
    expect(token.raw.code).toBe('000');
    expect(token.raw.request_id).toBe(fake.requestIds[0]);
  });

  it('computes the same expiry when the machine runs in New York', async () => {
    const original = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      // Guard: the zone really changed, or this test would prove nothing.
      expect(new Date(now).getTimezoneOffset()).toBe(300);
      const token = await client({ fetch: withoutDateHeader }).requestToken();
      expect(token.expiresAt).toBe(now + 7201_000);
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });

  it('uses `expired` as is when the answer has no Date header', async () => {
    const token = await client({ fetch: withoutDateHeader }).requestToken();
    expect(token.expiresAt).toBe(now + 7201_000);
  });

  it('moves `expired` onto the local clock when the vendor clock is behind', async () => {
    await restartFakeWithSkew(-HOUR);
    // Uncorrected, the token would look like it dies in one hour: it lives two.
    expect((await client().requestToken()).expiresAt).toBe(now + 7200_000);
  });

  it('moves `expired` onto the local clock when the vendor clock is ahead', async () => {
    await restartFakeWithSkew(HOUR);
    expect((await client().requestToken()).expiresAt).toBe(now + 7200_000);
  });

  it('caps an expiry beyond the documented two hours when no Date header shows a fast vendor clock', async () => {
    await restartFakeWithSkew(HOUR);
    expect((await client({ fetch: withoutDateHeader }).requestToken()).expiresAt).toBe(now + 7201_000);
  });

  it('trusts a shorter `expired` without a Date header (a slow vendor clock errs early, never late)', async () => {
    await restartFakeWithSkew(-10 * 60_000);
    expect((await client({ fetch: withoutDateHeader }).requestToken()).expiresAt).toBe(now - 10 * 60_000 + 7201_000);
  });

  it('follows a shorter lifetime the vendor sets', async () => {
    await restartFakeWithSkew(0, 600);
    expect((await client().requestToken()).expiresAt).toBe(now + 599_000);
  });

  it('issues a JWT whose iat is the issue time, with `expired` 7201 s later in UTC+8, like the example', async () => {
    now += 123; // not on a whole second: iat is truncated
    const token = await client().requestToken();
    const payload = JSON.parse(Buffer.from(token.accessToken.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload).toEqual({ jti: 'account', iat: Math.floor(now / 1000), iss: 'oauth_access_token' });
    expect(token.raw.data.expired).toBe('2026-11-22 18:00:01');
  });

  it('maps a wrong client id (403006) to invalid_client with code, message and request id', async () => {
    const error = await failure(client({ clientId: 'someone-else' }).requestToken());
    expect(error.code).toBe('invalid_client');
    expect(error.status).toBe(200);
    expect(error.vendorCode).toBe('403006');
    expect(error.vendorMessage).toBe('client_id不正确');
    expect(error.requestId).toBe(fake.requestIds[0]);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('check clientId and clientSecret');
    expect(fake.issued).toEqual([]);
  });

  it('maps a wrong client secret (403007) to invalid_client with code, message and request id', async () => {
    const error = await failure(client({ clientSecret: 'not-the-secret' }).requestToken());
    expect(error.code).toBe('invalid_client');
    expect(error.vendorCode).toBe('403007');
    expect(error.vendorMessage).toBe('client_secret不正确');
    expect(error.requestId).toBe(fake.requestIds[0]);
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain('not-the-secret');
  });

  const envelope = (code: string, msg: string) => (json: any) => ({ ...json, code, msg, data: null });

  it.each([
    ['an undocumented 5xx-like code', 200, '500001', 'server_error', true],
    ['an undocumented 429-like code', 200, '429001', 'rate_limited', true],
    ['an undocumented 400-like code', 200, '400002', 'invalid_request', false],
    ['a code of no known form with HTTP 200', 200, '-1', 'server_error', true],
    ['a code of no known form with HTTP 503', 503, 'SYS_BUSY', 'server_error', true],
    ['403006 with HTTP 403', 403, '403006', 'invalid_client', false],
    ['a success code behind HTTP 500', 500, '000', 'server_error', true],
  ] as const)('maps %s to %s and keeps the envelope', async (_name, status, code, expected, retryable) => {
    fake.inject({ type: 'mutate', status, change: envelope(code, '系统繁忙') }, 1);
    const error = await failure(client().requestToken());
    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.vendorCode).toBe(code);
    expect(error.vendorMessage).toBe('系统繁忙');
    expect(error.requestId).toBe(fake.requestIds[0]);
  });

  it.each([
    ['an expiry with an ISO "T"', '2026-11-22T18:00:01'],
    ['an impossible date', '2026-02-30 18:00:01'],
    ['an impossible hour', '2026-11-22 25:00:01'],
    ['an empty expiry', ''],
    ['an expiry as epoch seconds', 1795370401],
    ['a null expiry', null],
    ['an expiry in the past', '2026-11-22 15:59:59'],
    ['an expiry of this very second (zero lifetime)', '2026-11-22 16:00:00'],
  ])('rejects %s as invalid_response, keeping the request id', async (_name, expired) => {
    fake.inject({ type: 'mutate', change: (json: any) => ({ ...json, data: { ...json.data, expired } }) }, 1);
    const error = await failure(client().requestToken());
    expect(error.code).toBe('invalid_response');
    expect(error.retryable).toBe(false);
    expect(error.requestId).toBe(fake.requestIds[0]);
    expect(error.vendorCode).toBe('000');
    expect(error.message).toContain('expired');
  });

  it('rejects a zero lifetime from the vendor as invalid_response', async () => {
    await restartFakeWithSkew(0, 0);
    expect((await failure(client().requestToken())).code).toBe('invalid_response');
  });

  it.each([
    ['an HTML 502 page', { type: 'status', status: 502 }, 'server_error', true],
    ['an HTML page with status 200', { type: 'html', status: 200 }, 'invalid_response', false],
    ['truncated JSON', { type: 'truncated' }, 'invalid_response', false],
    ['an empty body', { type: 'empty' }, 'invalid_response', false],
    ['a token that is not a string', { type: 'mutate', change: (json: any) => ({ ...json, data: { ...json.data, access_token: 42 } }) }, 'invalid_response', false],
    ['a missing token', { type: 'mutate', change: (json: any) => ({ ...json, data: { expired: json.data.expired } }) }, 'invalid_response', false],
    ['success with data null', { type: 'mutate', change: (json: any) => ({ ...json, data: null }) }, 'invalid_response', false],
    ['data that is a string', { type: 'mutate', change: (json: any) => ({ ...json, data: JSON.stringify(json.data) }) }, 'invalid_response', false],
    ['a numeric code', { type: 'mutate', change: (json: any) => ({ ...json, code: 0 }) }, 'invalid_response', false],
    ['a body that is not an envelope', { type: 'mutate', change: (json: any) => json.data }, 'invalid_response', false],
    ['a JSON array', { type: 'mutate', change: () => [] }, 'invalid_response', false],
    ['429 with Retry-After', { type: 'rate-limit', retryAfterSeconds: 30 }, 'rate_limited', true],
  ] as const)('turns %s into a %s TokenError', async (_name, fault, code, retryable) => {
    fake.inject(fault as never, 1);
    const error = await failure(client().requestToken());
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message).not.toContain(fake.clientSecret);
  });

  it('keeps Retry-After on a rate-limit error', async () => {
    fake.inject({ type: 'rate-limit', retryAfterSeconds: 30 }, 1);
    expect((await failure(client().requestToken())).retryAfterMs).toBe(30_000);
  });

  it('maps a network failure to a retryable network_error', async () => {
    const error = await failure(client({ baseUrl: await refusedUrl() }).requestToken());
    expect(error.code).toBe('network_error');
    expect(error.retryable).toBe(true);
  });

  it('maps a stalled answer to a timeout', async () => {
    fake.inject({ type: 'stall' }, 1);
    const error = await failure(client({ timeoutMs: 50 }).requestToken());
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('stops when the caller aborts', async () => {
    const error = await failure(client().requestToken({ signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(error.retryable).toBe(false);
  });
});

describe('secrets', () => {
  const shows = (error: TokenError) => [error.message, inspect(error, { depth: 10 }), JSON.stringify(error), String(error.cause ?? '')];

  it('never shows the secret when the client is inspected or serialised', () => {
    const ebaas = client();
    for (const shown of [inspect(ebaas, { depth: 5 }), JSON.stringify(ebaas), String(ebaas)]) {
      expect(shown).not.toContain(fake.clientSecret);
      expect(shown).toContain(fake.clientId);
    }
  });

  it('keeps the request URL, which carries the secret, out of a network error', async () => {
    // A fetch (a proxy agent, an instrumentation wrapper) that quotes the URL in its error.
    const leaky: typeof fetch = async (input) => {
      throw new TypeError(`fetch failed: ${input instanceof Request ? input.url : String(input)}`);
    };
    const error = await failure(client({ fetch: leaky }).requestToken());
    expect(error.code).toBe('network_error');
    for (const shown of shows(error)) expect(shown).not.toContain(fake.clientSecret);
  });

  it('keeps the secret out of a timeout and a credential error', async () => {
    fake.inject({ type: 'stall' }, 1);
    const timeout = await failure(client({ timeoutMs: 50 }).requestToken());
    const rejected = await failure(client({ clientSecret: `${fake.clientSecret}-old` }).requestToken());
    for (const error of [timeout, rejected]) {
      for (const shown of shows(error)) expect(shown).not.toContain(fake.clientSecret);
    }
  });

  it('redacts the secret when the vendor echoes it in msg', async () => {
    fake.inject({ type: 'mutate', change: (json: any) => ({ ...json, code: '403007', msg: `client_secret ${fake.clientSecret} 不正确`, data: null }) }, 1);
    const error = await failure(client().requestToken());
    expect(error.vendorMessage).toBe('client_secret [redacted] 不正确');
    for (const shown of shows(error)) expect(shown).not.toContain(fake.clientSecret);
  });
});

describe('createEbaasClient', () => {
  it.each([
    ['a missing baseUrl (production has no documented host)', { baseUrl: undefined }, 'baseUrl is required'],
    ['a host without a scheme, as the document writes it', { baseUrl: 'dev-etc.ebaas.com' }, 'baseUrl'],
    ['a baseUrl with a query string', { baseUrl: 'https://dev-etc.ebaas.com/?client_id=x' }, 'baseUrl'],
    ['a missing clientSecret', { clientSecret: undefined }, 'clientSecret is required'],
    ['a clientSecret with a trailing newline', { clientSecret: 'secret\n' }, 'clientSecret'],
    ['an empty clientId', { clientId: '' }, 'clientId'],
    ['a negative timeout', { timeoutMs: -1 }, 'timeoutMs'],
  ])('rejects %s when the client is created', (_name, overrides, said) => {
    let thrown: unknown;
    try {
      client(overrides as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TokenError);
    expect((thrown as TokenError).code).toBe('invalid_configuration');
    expect((thrown as TokenError).message).toContain(said);
    expect((thrown as TokenError).message).not.toContain('secret\n');
  });

  it('exports the documented servers with https', () => {
    expect(EBAAS_DEV_BASE_URL).toBe('https://dev-etc.ebaas.com');
    expect(EBAAS_TEST_BASE_URL).toBe('https://test-etc.ebaas.com');
    const ebaas = createEbaasClient({ clientId: 'id', clientSecret: 'secret', baseUrl: EBAAS_TEST_BASE_URL });
    expect(JSON.parse(JSON.stringify(ebaas))).toEqual({ vendor: 'ebaas', clientId: 'id', baseUrl: 'https://test-etc.ebaas.com' });
  });
});
