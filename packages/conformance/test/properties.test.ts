/**
 * Property-based tests: no input makes a vendor's normaliser throw anything but a TokenError, every valid
 * response gives an access token and an expiry in the future, and the expiry and skew arithmetic holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenError, type TokenSet } from '@token-clients/core';
import { clockOffset, localExpiry, parseSeconds, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
// The refresh policy's arithmetic is core's own (not in the vendor kit): checked on its source.
import { DEFAULT_REFRESH_POLICY, retryDelay, tokenState, tokenTimeline } from '../../core/src/refresh-policy.js';
// Each vendor's reader is internal to its package (not exported): the properties are checked on its source.
import { readTokenResponse as readAkubela } from '../../akubela/src/read-token-response.js';
import { readTokenResponse as readDushu } from '../../dushu/src/read-token-response.js';
import { readTokenResponse as readEbaas } from '../../ebaas/src/read-token-response.js';
import { readTokenResponse as readFantem } from '../../fantem/src/read-token-response.js';
import { readTokenResponse as readWecom } from '../../wecom/src/read-token-response.js';
import { readTokenResponse as readWechat } from '../../wechat/src/read-token-response.js';
import { readTokenResponse as readWps } from '../../wps/src/read-token-response.js';

const normalizeDushuResponse = (a: TokenEndpointResponse) => readDushu(a);
const normalizeEbaasResponse = (a: TokenEndpointResponse) => readEbaas(a);
const normalizeWpsResponse = (a: TokenEndpointResponse, request: { grantType: 'authorization_code' | 'refresh_token' | 'client_credentials' }) =>
  readWps(a, { grant: request.grantType });
const normalizeAkubelaResponse = (a: TokenEndpointResponse, request: { grantType: 'client_credentials' | 'refresh_token' }) =>
  readAkubela(a, { grant: request.grantType });
const normalizeFantemResponse = (a: TokenEndpointResponse, request: { grantType: 'authorization_code' | 'refresh_token'; credential?: string }) =>
  readFantem(a);

const normalizeWechatResponse = (a: TokenEndpointResponse) => readWechat(a, { grant: 'client_credentials', endpoint: 'stable' });
const normalizeWecomResponse = (a: TokenEndpointResponse) => readWecom(a, { grant: 'client_credentials' });

const RUNS = { numRuns: 300 };

/** Around now, give or take ten years: what receive times and server clocks look like. */
const instant = fc.integer({ min: Date.UTC(2016, 0, 1), max: Date.UTC(2036, 0, 1) });

function answer(status: number, json: unknown, receivedAt: number, date?: number, text?: string): TokenEndpointResponse {
  const headers = new Headers({ 'content-type': text === undefined ? 'application/json' : 'text/html' });
  if (date !== undefined) headers.set('date', new Date(date).toUTCString());
  return {
    status,
    ok: status >= 200 && status < 300,
    headers,
    json: text === undefined ? json : undefined,
    ...(text === undefined ? {} : { text }),
    response: new Response(null, { status }),
    receivedAt,
  };
}

/** Any answer at all: any status, any JSON (or text), any Date header. */
const anyAnswer = fc
  .record({
    status: fc.constantFrom(200, 201, 400, 401, 403, 404, 415, 429, 500, 502, 503),
    json: fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('value', 'expiresIn', 'expiration', 'access_token', 'expires_in', 'refresh_token', 'refresh_expires_in', 'code', 'msg', 'data', 'success', 'result', 'error', 'expired', 'timestamp', 'token_type', 'scope', 'errcode', 'errmsg'), fc.anything())),
    text: fc.option(fc.string(), { nil: undefined }),
    receivedAt: instant,
    skew: fc.option(fc.integer({ min: -86_400_000, max: 86_400_000 }), { nil: undefined }),
  })
  .map(({ status, json, text, receivedAt, skew }) => answer(status, json, receivedAt, skew === undefined ? undefined : receivedAt + skew, text));

const NORMALISERS: [string, (a: TokenEndpointResponse) => TokenSet][] = [
  ['dushu', normalizeDushuResponse],
  ['ebaas', normalizeEbaasResponse],
  ['wps', (a) => normalizeWpsResponse(a, { grantType: 'refresh_token' })],
  ['akubela', (a) => normalizeAkubelaResponse(a, { grantType: 'refresh_token' })],
  ['fantem', (a) => normalizeFantemResponse(a, { grantType: 'refresh_token', credential: 'rt' })],
  ['wechat', normalizeWechatResponse],
  ['wecom', normalizeWecomResponse],
];

describe.each(NORMALISERS)('%s normaliser', (_vendor, normalize) => {
  it('throws nothing but a TokenError, whatever the answer', () => {
    fc.assert(
      fc.property(anyAnswer, (a) => {
        try {
          const token = normalize(a);
          expect(typeof token.accessToken).toBe('string');
          expect(token.expiresAt).toBeGreaterThan(a.receivedAt);
        } catch (error) {
          if (!(error instanceof TokenError)) throw error;
        }
      }),
      RUNS,
    );
  });
});

// A valid token is visible ASCII (it travels in an Authorization header); any other character is refused.
const token = fc.stringMatching(/^[\x21-\x7E]{1,600}$/);
const lifetime = fc.integer({ min: 1, max: 10_000_000 });
const lifetimeAsSent = lifetime.chain((s) => fc.constantFrom<number | string>(s, String(s)));

/** The ebaas wall-clock format, in UTC+08:00. */
const ebaasTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

const VALID: [string, fc.Arbitrary<TokenEndpointResponse>, (a: TokenEndpointResponse) => TokenSet][] = [
  [
    'dushu',
    fc.record({ value: token, expiresIn: lifetime, receivedAt: instant, skew: fc.integer({ min: -3_600_000, max: 3_600_000 }), withExpiration: fc.boolean() })
      .map(({ value, expiresIn, receivedAt, skew, withExpiration }) => {
        const serverNow = receivedAt + skew;
        const json = { value, expiresIn, tokenType: 'bearer', scope: ['ALL'], expired: false, ...(withExpiration ? { expiration: serverNow + expiresIn * 1000 } : {}) };
        return answer(200, json, receivedAt, serverNow);
      }),
    normalizeDushuResponse,
  ],
  [
    'ebaas',
    fc.record({ access_token: token, seconds: fc.integer({ min: 3, max: 7201 }), receivedAt: instant, skew: fc.option(fc.integer({ min: -3_600_000, max: 3_600_000 }), { nil: undefined }) })
      .map(({ access_token, seconds, receivedAt, skew }) => {
        const serverNow = receivedAt + (skew ?? 0);
        const json = { request_id: 'cc67513b-9b00-4283-a966-80153fd3ecfb', code: '000', msg: '成功', data: { access_token, expired: ebaasTime(serverNow + seconds * 1000) } };
        return answer(200, json, receivedAt, skew === undefined ? undefined : serverNow);
      }),
    normalizeEbaasResponse,
  ],
  [
    'wps',
    fc.record({ access_token: token, expires_in: lifetime, refresh_token: fc.option(token, { nil: undefined }), refresh_expires_in: fc.option(lifetimeAsSent, { nil: undefined }), receivedAt: instant })
      .map(({ receivedAt, ...json }) => answer(200, { ...json, token_type: 'bearer' }, receivedAt)),
    (a) => normalizeWpsResponse(a, { grantType: 'authorization_code' }),
  ],
  [
    'akubela',
    fc.record({ access_token: token, refresh_token: token, expires_in: lifetime, receivedAt: instant })
      .map(({ receivedAt, ...result }) => answer(200, { success: true, timestamp: receivedAt, result: { ...result, token_type: 'bearer' } }, receivedAt)),
    (a) => normalizeAkubelaResponse(a, { grantType: 'client_credentials' }),
  ],
  [
    'fantem',
    fc.record({ access_token: token, refresh_token: token, expires_in: lifetimeAsSent, receivedAt: instant })
      .map(({ receivedAt, ...json }) => answer(200, json, receivedAt)),
    (a) => normalizeFantemResponse(a, { grantType: 'authorization_code', credential: 'code' }),
  ],
  [
    'wechat',
    fc.record({ access_token: token, expires_in: lifetime, receivedAt: instant }).map(({ receivedAt, ...json }) => answer(200, json, receivedAt)),
    normalizeWechatResponse,
  ],
  [
    'wecom',
    fc.record({ access_token: token, expires_in: lifetime, receivedAt: instant })
      .map(({ receivedAt, ...json }) => answer(200, { errcode: 0, errmsg: 'ok', ...json }, receivedAt)),
    normalizeWecomResponse,
  ],
];

describe.each(VALID)('%s, every valid response', (_vendor, arbitrary, normalize) => {
  it('gives the access token it sent and an expiry in the future', () => {
    fc.assert(
      fc.property(arbitrary, (a) => {
        const result = normalize(a);
        expect(result.accessToken.length).toBeGreaterThan(0);
        expect(JSON.stringify(a.json)).toContain(JSON.stringify(result.accessToken));
        expect(result.expiresAt).toBeGreaterThan(a.receivedAt);
        expect(result.tokenType).toBe('bearer');
      }),
      RUNS,
    );
  });
});

describe('expiry and skew arithmetic', () => {
  it('reads whole seconds sent as numbers or digit strings, and nothing else', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const seconds = parseSeconds(value);
        if (seconds === undefined) return;
        expect(Number.isSafeInteger(seconds)).toBe(true);
        expect(typeof value === 'number' ? value : Number(String(value).trim())).toBe(seconds);
      }),
    );
    fc.assert(fc.property(fc.nat(), (n) => parseSeconds(n) === n && parseSeconds(String(n)) === n));
  });

  it('moves an absolute expiry onto the local clock: the remaining lifetime is what the server meant', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -86_400_000, max: 86_400_000 }), fc.integer({ min: 1, max: 10_000_000 }), (receivedAt, skew, remaining) => {
        const serverNow = receivedAt + skew;
        const local = localExpiry(serverNow + remaining, clockOffset(serverNow, receivedAt));
        expect(local - receivedAt).toBe(remaining);
        expect(localExpiry(serverNow + remaining, clockOffset(serverNow, receivedAt), 1000)).toBe(local - 1000);
      }),
    );
  });

  it('orders a token life: refresh ahead before unusable before expiry, and the state only moves forward', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 * 86_400_000 }), fc.array(fc.nat(), { minLength: 2 }), (obtainedAt, life, offsets) => {
        const stored = { token: { accessToken: 'a', tokenType: 'bearer', expiresAt: obtainedAt + life, raw: {} }, version: 1, obtainedAt };
        const { refreshAt, usableUntil } = tokenTimeline(stored, DEFAULT_REFRESH_POLICY);
        expect(refreshAt).toBeLessThanOrEqual(usableUntil);
        expect(usableUntil).toBeLessThanOrEqual(stored.token.expiresAt);
        expect(stored.token.expiresAt - refreshAt).toBeLessThanOrEqual(Math.max(DEFAULT_REFRESH_POLICY.refreshWindowMs, life / 10));
        const order = { fresh: 0, 'refresh-ahead': 1, expired: 2 };
        const times = offsets.map((o) => obtainedAt + (o % (2 * life))).sort((a, b) => a - b);
        const states = times.map((t) => order[tokenState(stored, t, DEFAULT_REFRESH_POLICY)]);
        expect(states).toEqual([...states].sort((a, b) => a - b));
      }),
    );
  });

  it('backs off within [ceiling/2, ceiling], never sooner than Retry-After', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.nat(120_000), (failures, random, retryAfter) => {
        const { backoffInitialMs, backoffMaxMs } = DEFAULT_REFRESH_POLICY;
        const ceiling = Math.min(backoffMaxMs, backoffInitialMs * 2 ** (failures - 1));
        const delay = retryDelay(failures, DEFAULT_REFRESH_POLICY, () => random, retryAfter);
        expect(delay).toBeGreaterThanOrEqual(Math.max(retryAfter, ceiling / 2));
        expect(delay).toBeLessThanOrEqual(Math.max(retryAfter, ceiling));
      }),
    );
  });
});
