/**
 * defineVendor: core makes every request from the definition (where each field travels, which are secret, the
 * method and path typed against `paths`), builds the client's calls from its grants, checks options once, and
 * publishes `token-clients:request` without a token. The shapes are the ones the vendors need: query on a POST
 * (dushu), GET with query (ebaas, WeCom), form and multipart bodies (wps, fantem), JSON (WeChat, DingTalk, Feishu),
 * HTTP Basic, an error inside HTTP 200, and a second endpoint chosen by an option (WeChat's stable_token).
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS, TokenError, type TokenRequestContext, type TokenSet } from '../src/index.js';
import { asJsonObject, defineVendor, vendorError, type TokenEndpointResponse } from '../src/vendor-kit.js';

/** A spec's generated `paths`, as openapi-typescript writes them. */
interface paths {
  '/token': { get?: never; post: { parameters: {}; responses: {} } };
  '/cgi-bin/token': { get: { parameters: { query: {} }; responses: {} }; post?: never };
  '/cgi-bin/stable_token': { get?: never; post: { parameters: {}; responses: {} } };
}

const SECRET = 'cs/+secret==';
const REFRESH = 'rt-5f1c9a7e';
const ACCESS = 'at-live-0123456789';

interface Seen {
  method: string;
  url: URL;
  type: string | null;
  authorization: string | null;
  body: string;
}
let seen: Seen[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: { access_token: ACCESS } };
async function fakeFetch(request: Request): Promise<Response> {
  // The headers are read before the body: Bun drops a FormData body's Content-Type once the body is read.
  const type = request.headers.get('content-type');
  const body = await request.text();
  seen.push({ method: request.method, url: new URL(request.url), type, authorization: request.headers.get('authorization'), body });
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' } });
}

afterEach(() => {
  seen = [];
  answer = { status: 200, body: { access_token: ACCESS } };
});

/** An error in an HTTP 200 (`{errcode, errmsg}`) or a non-2xx status is a TokenError; else the token. */
function read(a: TokenEndpointResponse): TokenSet<unknown> {
  const body = asJsonObject(a.json);
  if (!a.ok || (typeof body?.['errcode'] === 'number' && body['errcode'] !== 0)) {
    throw vendorError('test', a, { vendorCode: String(body?.['errcode']), vendorMessage: String(body?.['errmsg']) });
  }
  return { accessToken: String(body?.['access_token']), tokenType: 'bearer', expiresAt: 5_000, raw: a.json };
}

const createTestClient = defineVendor<paths>()({
  name: 'test',
  baseUrl: { default: 'https://vendor.example' },
  options: {
    clientSecret: { type: 'string', required: true, secret: true, doc: 'The secret.' },
    stable: { type: 'boolean', default: false, doc: 'Use the stable-token endpoint.' },
    scope: { type: 'string', default: 'hotel', doc: 'The scope.', check: (v: string) => (v.includes('  ') ? 'must be single-spaced' : undefined) },
  },
  grants: {
    client_credentials: (o) =>
      o.stable
        ? { method: 'post', path: '/cgi-bin/stable_token', send: 'json', secret: ['secret'], read, fields: (i) => ({ appid: i.clientId, secret: i.clientSecret, force_refresh: false }) }
        : { method: 'get', path: '/cgi-bin/token', send: 'query', secret: ['corpsecret'], read, perCall: ['scope'], fields: (i) => ({ corpid: i.clientId, corpsecret: i.clientSecret, scope: i.scope }) },
    authorization_code: { method: 'post', path: '/token', send: 'multipart', secret: ['code'], read, fields: (i) => ({ grant_type: 'authorization_code', code: i.code, redirect_uri: i.redirectUri }) },
    refresh_token: { method: 'post', path: '/token', send: 'form', basic: true, secret: ['refresh_token'], read, fields: (i) => ({ grant_type: 'refresh_token', refresh_token: i.refreshToken }) },
  },
  redirectUri: 'optional',
  keepsRefreshToken: true,
});

const client = (overrides: object = {}) => createTestClient({ clientId: 'app-1', clientSecret: SECRET, fetch: fakeFetch as typeof fetch, ...overrides });

describe('defineVendor', () => {
  it('sends a GET with the fields in the query string', async () => {
    const token = await client().requestToken();
    expect(token.accessToken).toBe(ACCESS);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url.pathname).toBe('/cgi-bin/token');
    expect(Object.fromEntries(seen[0]!.url.searchParams)).toEqual({ corpid: 'app-1', corpsecret: SECRET, scope: 'hotel' });
  });

  it('takes the endpoint an option chooses, with a JSON body', async () => {
    await client({ stable: true }).requestToken();
    expect(seen[0]).toMatchObject({ method: 'POST', type: 'application/json' });
    expect(seen[0]!.url.pathname).toBe('/cgi-bin/stable_token');
    expect(JSON.parse(seen[0]!.body)).toEqual({ appid: 'app-1', secret: SECRET, force_refresh: false });
  });

  it('sends a form body with the client in HTTP Basic, and keeps the refresh token sent when none comes back', async () => {
    const token = await client().refresh(REFRESH);
    expect(seen[0]!.type).toBe('application/x-www-form-urlencoded');
    expect(seen[0]!.body).toBe(`grant_type=refresh_token&refresh_token=${REFRESH}`);
    expect(seen[0]!.authorization).toBe(`Basic ${btoa(`app-1:${encodeURIComponent(SECRET)}`)}`);
    expect(token.refreshToken).toBe(REFRESH);
  });

  it('sends a multipart body, leaving out fields that are undefined', async () => {
    await client().exchangeCode({ code: 'c0de' });
    expect(seen[0]!.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]!.body).toContain('name="code"\r\n\r\nc0de');
    expect(seen[0]!.body).not.toContain('redirect_uri');
  });

  it("makes api send bodies as the first grant with a body does (multipart here), not openapi-fetch's JSON", async () => {
    await client().api.POST('/token', { body: { grant_type: 'x' } as never });
    expect(seen[0]!.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]!.body).toContain('name="grant_type"\r\n\r\nx');
  });

  it('reads an error inside HTTP 200 as a TokenError, with every secret redacted', async () => {
    answer = { status: 200, body: { errcode: 40013, errmsg: `invalid appid ${SECRET} ${encodeURIComponent(SECRET)}` } };
    const error = (await client().requestToken().catch((reason: unknown) => reason)) as TokenError;
    expect(error).toBeInstanceOf(TokenError);
    expect(error.vendorCode).toBe('40013');
    const shown = [String(error), JSON.stringify(error), inspect(error, { showHidden: true, depth: 8 })].join('\n');
    for (const secret of [SECRET, encodeURIComponent(SECRET)]) expect(shown).not.toContain(secret);
  });

  it('checks a per-call override like the option, as invalid_request, before sending', async () => {
    await client().requestToken({ scope: 'manager' });
    expect(seen[0]!.url.searchParams.get('scope')).toBe('manager');
    const error = (await client().requestToken({ scope: 'a  b' }).catch((reason: unknown) => reason)) as TokenError;
    expect(error).toMatchObject({ code: 'invalid_request', message: 'test requestToken: scope must be single-spaced' });
    expect(seen).toHaveLength(1);
  });

  it('refuses unknown and bad options when the client is created, naming the option and never its value', () => {
    expect(() => client({ baseURL: 'https://x.example' })).toThrow(/unknown option "baseURL"; did you mean "baseUrl"\?/);
    expect(() => client({ scope: 'a  b' })).toThrow('create test client: scope must be single-spaced');
    expect(() => client({ stable: 'yes' })).toThrow('create test client: stable must be a boolean');
    expect(() => client({ clientSecret: ` ${SECRET}` })).toThrow(/clientSecret has leading or trailing whitespace/);
    expect(() => client({ clientSecret: ` ${SECRET}` })).not.toThrow(SECRET);
  });

  it('shows who the client is, never a secret option, in inspect and JSON', () => {
    const shown = [inspect(client()), JSON.stringify(client()), String(client())];
    expect(JSON.parse(shown[1]!)).toEqual({ vendor: 'test', clientId: 'app-1', baseUrl: 'https://vendor.example', stable: false, scope: 'hotel' });
    expect(shown[0]).toMatch(/^TestClient /);
    for (const text of shown) expect(text).not.toContain(SECRET);
  });

  it('describes the vendor for the service and the docs', () => {
    expect(createTestClient.vendor.grants).toEqual(['client_credentials', 'authorization_code', 'refresh_token']);
    expect(Object.keys(createTestClient.vendor.options)).toEqual(['clientId', 'baseUrl', 'timeoutMs', 'clientSecret', 'stable', 'scope']);
    expect(createTestClient.vendor.options.clientSecret).toMatchObject({ type: 'string', required: true, secret: true });
    expect(createTestClient.vendor.redirectUri).toBe('optional');
  });

  it('publishes token-clients:request with the documented fields and no token', async () => {
    const contexts: TokenRequestContext[] = [];
    const channel = tracingChannel<unknown, TokenRequestContext>(CHANNELS.request);
    const handlers = { start: (c: TokenRequestContext) => void contexts.push(c), asyncEnd: () => {}, end: () => {}, asyncStart: () => {}, error: () => {} };
    channel.subscribe(handlers);
    try {
      await client().refresh(REFRESH);
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(contexts[0]).toMatchObject({ vendor: 'test', grant: 'refresh_token', url: 'https://vendor.example/token', method: 'POST' });
    expect(contexts[0]!.result).toEqual({ status: 200, requestId: 'req-1', expiresAt: 5_000 });
    expect(inspect(contexts[0], { depth: 8, showHidden: true })).not.toContain(ACCESS);
  });

  it('type-checks method and path against paths', () => {
    defineVendor<paths>()({
      name: 'typed',
      baseUrl: { required: true },
      options: {},
      grants: {
        // @ts-expect-error -- '/token' has no GET in this spec
        client_credentials: { method: 'get', path: '/token', send: 'query', secret: [], read, fields: () => ({}) },
      },
    });
    defineVendor<paths>()({
      name: 'typed',
      baseUrl: { required: true },
      options: {},
      // @ts-expect-error -- a path the spec does not have
      grants: { client_credentials: { method: 'post', path: '/oauth/gone', send: 'form', secret: [], read, fields: () => ({}) } },
    });
  });
});
