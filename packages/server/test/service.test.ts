import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startDushuFake, startFantemFake, startWpsFake, type DushuFake, type FantemFake, type WpsFake } from '@token-clients/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExposureLog } from './support/secrets.js';
import { runCli, startService, writeConfig, type ServiceProcess } from './support/service-process.js';

// The bin, started as a child process from a config file, against the testkit fakes: every endpoint and
// every error status, as a caller in any language would meet them.

const BILLING_KEY = 'billing-key-0123456789abcdefghijklmnopqrstuv';
const OPS_KEY = 'ops-key-0123456789abcdefghijklmnopqrstuvwxyz';
const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../examples/get_token.py');
const REDIRECT = 'https://app.example/wps/callback';

let dushu: DushuFake;
let broken: DushuFake;
let budgeted: DushuFake;
let wps: WpsFake;
let fantem: FantemFake;
let service: ServiceProcess;
let configFile: string;
let env: NodeJS.ProcessEnv;
const exposure = new ExposureLog();
const codes: string[] = [];

beforeAll(async () => {
  [dushu, broken, budgeted, wps, fantem] = await Promise.all([startDushuFake(), startDushuFake(), startDushuFake(), startWpsFake(), startFantemFake()]);
  env = { DUSHU_SECRET: dushu.clientSecret, WPS_SECRET: wps.clientSecret, BILLING_KEY, OPS_KEY };
  configFile = await writeConfig(
    {
      listen: { host: '127.0.0.1', port: 0 },
      apps: {
        reading: { vendor: 'dushu', clientId: dushu.clientId, clientSecret: '${DUSHU_SECRET}', baseUrl: dushu.url },
        // The same credentials as `reading` on another fake, so a failure there never touches `reading`.
        flaky: { vendor: 'dushu', clientId: broken.clientId, clientSecret: '${DUSHU_SECRET}', baseUrl: broken.url, timeoutMs: 2000 },
        // Another client id: the same one would share `reading`'s store key, and so its token.
        wrong: { vendor: 'dushu', clientId: 'fd0999999999999999', clientSecret: 'not-the-secret-of-this-app', baseUrl: dushu.url },
        // One token request a day: the second one the vendor would see is refused by the quota instead.
        budgeted: { vendor: 'dushu', clientId: budgeted.clientId, clientSecret: '${DUSHU_SECRET}', baseUrl: budgeted.url, provider: { dailyBudget: 1 } },
        docs: { vendor: 'wps', clientId: wps.clientId, clientSecret: '${WPS_SECRET}', baseUrl: wps.url },
        link: { vendor: 'fantem', clientId: fantem.clientId, baseUrl: fantem.url },
      },
      callers: {
        billing: { key: '${BILLING_KEY}', apps: ['reading', 'flaky', 'wrong', 'budgeted', 'docs', 'link'] },
        ops: { key: '${OPS_KEY}', apps: ['link'] },
      },
    },
    { mode: 0o600 },
  );
  service = await startService(configFile, env);
});

afterAll(async () => {
  await service?.stop();
  await Promise.all([dushu, broken, budgeted, wps, fantem].map((fake) => fake?.close()));
});

async function call(path: string, init: RequestInit & { key?: string | null } = {}): Promise<{ response: Response; body: string; json: any }> {
  const headers = new Headers(init.headers);
  const key = init.key === undefined ? BILLING_KEY : init.key;
  if (key !== null) headers.set('authorization', `Bearer ${key}`);
  const response = await fetch(`${service.url}${path}`, { ...init, headers });
  const body = await exposure.response(response);
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { response, body, json };
}

function expectProblem(result: { response: Response; json: any }, status: number, code: string): void {
  expect(result.response.status, JSON.stringify(result.json)).toBe(status);
  expect(result.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(result.json).toMatchObject({ status, code, type: expect.stringContaining(code), title: expect.any(String), detail: expect.any(String) });
  expect(typeof result.json.retryable).toBe('boolean');
}

describe('an app token', () => {
  it('is served cached: two calls, one upstream request, the OAuth-shaped answer', async () => {
    const first = await call('/v1/apps/reading/token');
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(first.json).sort()).toEqual(['access_token', 'expires_at', 'expires_in', 'token_type']);
    expect(first.json.access_token).toBe(dushu.issued[0]);
    expect(first.json.token_type).toBe('bearer');
    expect(new Date(first.json.expires_at).toISOString()).toBe(first.json.expires_at);
    expect(first.json.expires_in).toBeGreaterThan(7000);
    expect(first.json.expires_in).toBeLessThanOrEqual(7199);
    const second = await call('/v1/apps/reading/token');
    expect(second.json.access_token).toBe(first.json.access_token);
    expect(dushu.requests).toHaveLength(1);
  });

  it('is dropped after a 401 only while it is still the current one', async () => {
    const { json: current } = await call('/v1/apps/reading/token');
    const stale = await call('/v1/apps/reading/token/invalidate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: 'a-token-that-is-not-current' }),
    });
    expect(stale.response.status).toBe(204);
    expect((await call('/v1/apps/reading/token')).json.access_token).toBe(current.access_token);
    const fresh = await call('/v1/apps/reading/token/invalidate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: current.access_token }),
    });
    expect(fresh.response.status).toBe(204);
    const next = await call('/v1/apps/reading/token');
    expect(next.json.access_token).not.toBe(current.access_token);
    expect(next.json.access_token).toBe(dushu.issued.at(-1));
    expect(dushu.requests).toHaveLength(2);

    // Rate-limited: an API that answers 401 to every token cannot make the service burn the vendor's quota.
    const again = await call('/v1/apps/reading/token/invalidate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: next.json.access_token }),
    });
    expect(again.response.status).toBe(204);
    await call('/v1/apps/reading/token');
    expect(dushu.requests).toHaveLength(2);
  });

  it('refuses a malformed invalidation: no body field, not JSON, too large', async () => {
    const post = (body: string, type = 'application/json') =>
      call('/v1/apps/reading/token/invalidate', { method: 'POST', headers: { 'content-type': type }, body });
    expectProblem(await post('{}'), 400, 'invalid_request');
    expectProblem(await post('{"access_token": "unterminated'), 400, 'invalid_request');
    expectProblem(await post('access_token=x', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
    expectProblem(await post(JSON.stringify({ access_token: 'x'.repeat(20_000) })), 413, 'body_too_large');
  });

  it('is 503 with Retry-After while the vendor fails, and 502 when the vendor refuses the credentials', async () => {
    broken.inject({ type: 'status', status: 503 });
    const down = await call('/v1/apps/flaky/token');
    expectProblem(down, 503, 'server_error');
    expect(down.json.retryable).toBe(true);
    expect(Number(down.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(down.json.vendor).toBe('dushu');

    const refused = await call('/v1/apps/wrong/token');
    expectProblem(refused, 502, 'invalid_client');
    expect(refused.json.retryable).toBe(false);
    expect(refused.response.headers.get('retry-after')).toBeNull();
  });
});

describe('the daily budget', () => {
  it('once spent, is a 503 quota_exhausted with Retry-After, and the vendor sees no further request', async () => {
    const first = await call('/v1/apps/budgeted/token');
    expect(first.response.status).toBe(200);
    const invalidated = await call('/v1/apps/budgeted/token/invalidate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: first.json.access_token }),
    });
    expect(invalidated.response.status).toBe(204);
    const spent = await call('/v1/apps/budgeted/token');
    expectProblem(spent, 503, 'quota_exhausted');
    expect(spent.json.retryable).toBe(true);
    expect(Number(spent.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(budgeted.requests).toHaveLength(1);
    const { body } = await call('/metrics', { key: null });
    expect(body).toMatch(/token_clients_quota_exhausted_total\{app="budgeted",vendor="dushu"\} 1/);
  });
});

describe('callers', () => {
  it('without a key, or with a wrong one, get 401 and a WWW-Authenticate challenge', async () => {
    const missing = await call('/v1/apps/reading/token', { key: null });
    expectProblem(missing, 401, 'missing_caller_key');
    expect(missing.response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectProblem(await call('/v1/apps/reading/token', { key: `${BILLING_KEY}x` }), 401, 'invalid_caller_key');
    expectProblem(await call('/v1/apps/reading/token', { key: null, headers: { authorization: `Basic ${btoa(`x:${BILLING_KEY}`)}` } }), 401, 'missing_caller_key');
    // The key is checked before the app: an unauthenticated client learns nothing about which apps exist.
    expectProblem(await call('/v1/apps/no-such-app/token', { key: null }), 401, 'missing_caller_key');
  });

  it('get 403 for an app they may not read and 404 for an app not in the config', async () => {
    expectProblem(await call('/v1/apps/reading/token', { key: OPS_KEY }), 403, 'app_not_allowed');
    expectProblem(await call('/v1/apps/reading/token/invalidate', { key: OPS_KEY, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"access_token":"x"}' }), 403, 'app_not_allowed');
    expectProblem(await call('/v1/apps/no-such-app/token'), 404, 'unknown_app');
    expectProblem(await call('/v1/nothing-here'), 404, 'not_found');
  });
});

describe('user tokens (wps, fantem)', () => {
  it('exchanges a code once and then serves that user\'s token; the refresh token never leaves', async () => {
    const code = wps.issueCode({ redirectUri: REDIRECT });
    codes.push(code);
    const authorized = await call('/v1/apps/docs/users/alice/authorization', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, redirect_uri: REDIRECT }),
    });
    expect(authorized.response.status, authorized.body).toBe(200);
    expect(Object.keys(authorized.json).sort()).toEqual(['access_token', 'expires_at', 'expires_in', 'token_type']);
    const served = await call('/v1/apps/docs/users/alice/token');
    expect(served.response.status).toBe(200);
    expect(served.json.access_token).toBe(authorized.json.access_token);
    expect(wps.issuedRefreshTokens.length).toBeGreaterThan(0);
  });

  it('refuses a spent code (400), a missing redirect_uri (400), a bad subject (400), and a user never authorised (409)', async () => {
    const spent = await call('/v1/apps/docs/users/alice/authorization', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: codes[0], redirect_uri: REDIRECT }),
    });
    expectProblem(spent, 400, 'invalid_grant');
    const noRedirect = await call('/v1/apps/docs/users/alice/authorization', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'whatever' }),
    });
    expectProblem(noRedirect, 400, 'invalid_request');
    expectProblem(await call('/v1/apps/docs/users/a%2Fb/token'), 400, 'invalid_request');
    expectProblem(await call('/v1/apps/docs/users/bob/token'), 409, 'reauthorization_required');
  });

  it('fantem: code exchange without a redirect URI; its app has no token of its own; dushu has no users', async () => {
    const code = fantem.issueCode();
    codes.push(code);
    const authorized = await call('/v1/apps/link/users/carol/authorization', { key: OPS_KEY, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(authorized.response.status, authorized.body).toBe(200);
    expect((await call('/v1/apps/link/users/carol/token', { key: OPS_KEY })).json.access_token).toBe(authorized.json.access_token);
    expectProblem(await call('/v1/apps/link/token', { key: OPS_KEY }), 404, 'no_app_token');
    expectProblem(await call('/v1/apps/reading/users/alice/token'), 404, 'no_user_tokens');
  });
});

describe('operations', () => {
  it('healthz, readyz (memory store) and metrics answer without a caller key', async () => {
    const health = await call('/healthz', { key: null });
    expect(health.response.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok', service: 'token-clients' });
    const ready = await call('/readyz', { key: null });
    expect(ready.response.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', store: 'memory' });
    const metrics = await call('/metrics', { key: null });
    expect(metrics.response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/token_clients_served_tokens_total\{app="reading",caller="billing",kind="app"\} [1-9]/);
    expect(metrics.body).toMatch(/token_clients_served_tokens_total\{app="docs",caller="billing",kind="user"\} [1-9]/);
    expect(metrics.body).toMatch(/http_server_requests_total\{method="GET",route="\/v1\/apps\/:app\/token",status="403"\} [1-9]/);
    expect(metrics.body).toMatch(/http_server_requests_total\{method="GET",route="\/v1\/apps\/:app\/token",status="401"\} [1-9]/);
  });

  it('metrics come from core\'s channels end to end: vendor requests, cache hits, refreshes and their failures, by app', async () => {
    const { body } = await call('/metrics', { key: null });
    // Published by the vendor kit's one token-request entry point, around each request to the vendor.
    expect(body).toMatch(/token_clients_vendor_requests_total\{vendor="dushu",grant="client_credentials",outcome="success"\} [1-9]/);
    expect(body).toMatch(/token_clients_vendor_requests_total\{vendor="dushu",grant="client_credentials",outcome="invalid_client"\} [1-9]/);
    expect(body).toMatch(/token_clients_vendor_request_duration_seconds_count\{vendor="dushu",grant="client_credentials",outcome="success"\} [1-9]/);
    expect(body).toMatch(/token_clients_cache_lookups_total\{app="reading",vendor="dushu",result="hit"\} [1-9]/);
    expect(body).toMatch(/token_clients_refresh_duration_seconds_count\{app="reading",vendor="dushu",background="false",outcome="success"\} [1-9]/);
    expect(body).toMatch(/token_clients_refresh_failures_total\{app="flaky",vendor="dushu",code="server_error"\} [1-9]/);
    expect(body).toMatch(/token_clients_refresh_failures_total\{app="wrong",vendor="dushu",code="invalid_client"\} [1-9]/);
    expect(body).toMatch(/token_clients_cache_lookups_total\{app="docs",vendor="wps",result="(hit|miss)"\} [1-9]/);
  });

  it('logs what the providers do through the service\'s logger', () => {
    expect(service.logs()).toContainEqual(expect.objectContaining({ msg: 'token-clients: token refreshed', vendor: 'dushu', level: 30 }));
    expect(service.logs()).toContainEqual(expect.objectContaining({ msg: 'token-clients: token refresh failed', code: 'invalid_client' }));
  });

  it('logs one structured JSON line per request, with caller and app, and no headers', async () => {
    const answered = service.logs().filter((line) => line.msg === 'answered');
    expect(answered.length).toBeGreaterThan(10);
    expect(answered).toContainEqual(expect.objectContaining({ route: '/v1/apps/:app/token', status: 200, caller: 'billing', app: 'reading' }));
    expect(service.lines.filter((line) => /"authorization"|bearer /i.test(line))).toEqual([]);
  });
});

describe('other languages', () => {
  it('a Python script using only its standard library gets a token', async () => {
    const { stdout } = await promisify(execFile)('python3', [EXAMPLE, 'reading'], {
      env: { PATH: process.env.PATH, TOKEN_SERVICE_URL: service.url, TOKEN_SERVICE_KEY: BILLING_KEY },
    });
    exposure.text(stdout);
    expect(stdout.trim()).toBe(dushu.issued.at(-1));
  });

  it('the Python script reports a problem by its code, and exits 1', async () => {
    const failed = await promisify(execFile)('python3', [EXAMPLE, 'reading'], {
      env: { PATH: process.env.PATH, TOKEN_SERVICE_URL: service.url, TOKEN_SERVICE_KEY: OPS_KEY },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('403 app_not_allowed') });
  });

  it('curl gets a token', async () => {
    const { stdout } = await promisify(execFile)('curl', ['-sS', '--fail-with-body', '-H', `Authorization: Bearer ${BILLING_KEY}`, `${service.url}/v1/apps/reading/token`]);
    exposure.text(stdout);
    expect(JSON.parse(stdout).access_token).toBe(dushu.issued.at(-1));
  });

  it('`token-clients token <app>` prints the access token from the same config', async () => {
    const result = await runCli(['token', 'reading', '--config', configFile], env);
    exposure.text(result.stdout + result.stderr);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(dushu.issued.at(-1));
  });
});

describe('secrets', () => {
  it('none of the known secrets appears in any response body or header, log line, metric or CLI output', async () => {
    const metrics = await call('/metrics', { key: null });
    expect(metrics.response.status).toBe(200);
    exposure.text(service.lines.join('\n'));
    const secrets: Record<string, string> = {
      'dushu client secret': dushu.clientSecret,
      'wps client secret': wps.clientSecret,
      'the literal wrong secret': 'not-the-secret-of-this-app',
      'billing caller key': BILLING_KEY,
      'ops caller key': OPS_KEY,
    };
    codes.forEach((code, index) => (secrets[`authorization code ${index}`] = code));
    wps.issuedRefreshTokens.forEach((token, index) => (secrets[`wps refresh token ${index}`] = token));
    fantem.issued.forEach((token, index) => (secrets[`fantem refresh token ${index}`] = token.refreshToken));
    expect(Object.keys(secrets).length).toBeGreaterThan(8);
    expect(exposure.size).toBeGreaterThan(30);
    expect(exposure.find(secrets)).toEqual([]);
    // The scan can fail: an access token, which is served on purpose, is found.
    expect(exposure.find({ 'served access token': dushu.issued[0]! })).not.toEqual([]);
  });
});
