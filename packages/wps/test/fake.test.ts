import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWpsFake, type WpsFake } from '@token-clients/testkit';

// The fake stands in for WPS in the tests of this package and of the core provider, so it must refuse
// what WPS would refuse. These tests talk to it with plain fetch, as a misbehaving client would.

let fake: WpsFake;
let now: number;
const REDIRECT_URI = 'https://app.example/wps/callback';

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startWpsFake({ now: () => now });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

async function post(fields: Record<string, string>, init: { contentType?: string; path?: string; method?: string } = {}) {
  const { contentType = 'application/x-www-form-urlencoded', path = '/oauth2/token', method = 'POST' } = init;
  const body = contentType === 'application/json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { 'content-type': contentType },
    ...(method === 'GET' ? {} : { body }),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

const credentials = () => ({ client_id: fake.clientId, client_secret: fake.clientSecret });

describe('startWpsFake', () => {
  it('refuses a JSON body, as the document requires a urlencoded one', async () => {
    const answer = await post({ grant_type: 'client_credentials', ...credentials() }, { contentType: 'application/json' });
    expect(answer.status).toBe(400);
    expect(answer.json.code).not.toBe(0);
    expect(fake.issued).toHaveLength(0);
  });

  it('does not read parameters from the query string', async () => {
    const query = new URLSearchParams({ grant_type: 'client_credentials', ...credentials() });
    const response = await fetch(`${fake.url}/oauth2/token?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ msg: 'missing parameter: grant_type' });
  });

  it('answers a wrong method or path outside the spec', async () => {
    expect((await post({}, { method: 'GET' })).status).toBe(405);
    expect((await post({}, { path: '/oauth/token' })).status).toBe(404);
  });

  it('refuses an unsupported grant type and missing parameters', async () => {
    expect((await post({ grant_type: 'password', ...credentials() })).json).toMatchObject({ code: 40004 });
    const missing = await post({ grant_type: 'authorization_code', ...credentials(), code: 'ga1' });
    expect(missing.status).toBe(400);
    expect(missing.json.msg).toBe('missing parameter: redirect_uri');
  });

  it('refuses wrong credentials with 401', async () => {
    const answer = await post({ grant_type: 'client_credentials', client_id: fake.clientId, client_secret: 'nope' });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ code: 40001, msg: 'invalid client' });
  });

  it('issues codes that are single use, bound to their redirect_uri and short-lived', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    const grant = { grant_type: 'authorization_code', ...credentials(), code };
    expect((await post({ ...grant, redirect_uri: 'https://elsewhere.example/' })).status).toBe(400);
    const first = await post({ ...grant, redirect_uri: REDIRECT_URI });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ expires_in: 7200, refresh_expires_in: 2_592_000, token_type: 'bearer' });
    expect((await post({ ...grant, redirect_uri: REDIRECT_URI })).status).toBe(400);
    expect(fake.spentCodeUses).toBe(1);

    const late = fake.issueCode({ redirectUri: REDIRECT_URI });
    now += 600_000;
    expect((await post({ ...grant, code: late, redirect_uri: REDIRECT_URI })).json.msg).toBe('code expired');
  });

  it('rotates refresh tokens and counts every reuse of a spent or unknown one', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    const user = await post({ grant_type: 'authorization_code', ...credentials(), code, redirect_uri: REDIRECT_URI });
    const refresh = (token: unknown) => post({ grant_type: 'refresh_token', ...credentials(), refresh_token: String(token) });
    const next = await refresh(user.json.refresh_token);
    expect(next.json.refresh_token).toBe(fake.issuedRefreshTokens[1]);
    expect((await refresh(user.json.refresh_token)).status).toBe(400);
    expect((await refresh('never-issued')).status).toBe(400);
    expect(fake.spentRefreshTokenUses).toBe(2);
    expect((await refresh(next.json.refresh_token)).status).toBe(200);
  });

  it('answers client_credentials with an app token and no refresh fields', async () => {
    const answer = await post({ grant_type: 'client_credentials', ...credentials() });
    expect(answer.json).toEqual({ access_token: fake.issued[0], expires_in: 7200, token_type: 'bearer' });
    expect(fake.issuedRefreshTokens).toHaveLength(0);
  });

  it('stamps the Date header from its clock', async () => {
    const answer = await post({ grant_type: 'client_credentials', ...credentials() });
    expect(Date.parse(answer.headers.get('date')!)).toBe(now);
  });

  it('honours its lifetime options', async () => {
    await fake.close();
    fake = await startWpsFake({ now: () => now, expiresIn: 60, refreshExpiresIn: 120 });
    const code = fake.issueCode({ redirectUri: REDIRECT_URI });
    const answer = await post({ grant_type: 'authorization_code', ...credentials(), code, redirect_uri: REDIRECT_URI });
    expect(answer.json).toMatchObject({ expires_in: 60, refresh_expires_in: 120 });
  });
});
