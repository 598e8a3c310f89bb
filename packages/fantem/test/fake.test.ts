// The fake gateway itself: later core-provider tests rely on it behaving like the document says.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFantemFake, type FantemFake } from '@token-clients/testkit';

let fake: FantemFake;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startFantemFake({ clientId: 'skill-1', expiresIn: 600, now: () => now });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

const post = (body: BodyInit, headers: Record<string, string> = {}, path = '/oauth/token') =>
  fetch(`${fake.url}${path}`, { method: 'POST', body, headers });

const urlencoded = (fields: Record<string, string>) =>
  post(new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' });

describe('startFantemFake', () => {
  it('accepts the urlencoded form Alexa sends (ruling 4), with the clock’s Date header', async () => {
    const code = fake.issueCode({ redirectUri: 'https://layla.amazon.com/cb' });
    const response = await urlencoded({ grant_type: 'authorization_code', client_id: 'skill-1', code, redirect_uri: 'https://layla.amazon.com/cb' });
    expect(response.status).toBe(200);
    expect(response.headers.get('date')).toBe(new Date(now).toUTCString());
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: fake.issued[0]!.accessToken, refresh_token: fake.issued[0]!.refreshToken, expires_in: 600 });
    expect(fake.issued[0]).toMatchObject({ grantType: 'authorization_code', expiresIn: 600, issuedAt: now });
  });

  it('accepts a request without the optional client_id and redirect_uri', async () => {
    const response = await urlencoded({ grant_type: 'authorization_code', code: fake.issueCode() });
    expect(response.status).toBe(200);
  });

  it('refuses a code twice, and counts', async () => {
    const code = fake.issueCode();
    expect((await urlencoded({ grant_type: 'authorization_code', code })).status).toBe(200);
    const again = await urlencoded({ grant_type: 'authorization_code', code });
    expect(again.status).toBe(400);
    expect(await again.text()).toBe('code不存在');
    expect(fake.counts).toEqual({ authorizationCode: 1, refreshToken: 0, rejected: 1 });
  });

  it('refreshes without rotating, until the refresh token is revoked', async () => {
    await urlencoded({ grant_type: 'authorization_code', code: fake.issueCode() });
    const { refreshToken } = fake.issued[0]!;
    for (let i = 0; i < 2; i++) {
      const response = await urlencoded({ grant_type: 'refresh_token', refresh_token: refreshToken });
      expect(await response.json()).toEqual({ access_token: fake.issued[i + 1]!.accessToken, expires_in: 600 });
    }
    expect(fake.revokeRefreshToken(refreshToken)).toBe(true);
    expect(fake.revokeRefreshToken(refreshToken)).toBe(false);
    const revoked = await urlencoded({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(revoked.status).toBe(400);
    expect(await revoked.text()).toBe('refreshToken不存在');
    expect(fake.counts).toEqual({ authorizationCode: 1, refreshToken: 2, rejected: 1 });
  });

  it.each([
    ['a JSON body', () => post(JSON.stringify({ grant_type: 'authorization_code', code: 'c' }), { 'content-type': 'application/json' })],
    ['parameters in the query string', () => post('', {}, '/oauth/token?grant_type=authorization_code&code=c')],
    ['an unknown grant type', () => urlencoded({ grant_type: 'client_credentials' })],
    ['another client’s id', () => urlencoded({ grant_type: 'authorization_code', client_id: 'skill-2', code: fake.issueCode() })],
  ])('answers a bare 400 to %s', async (_name, send) => {
    const response = await send();
    expect(response.status).toBe(400);
  });

  it('answers 400 with no body at all when told to', async () => {
    await fake.close();
    fake = await startFantemFake({ errorBody: 'empty' });
    const response = await urlencoded({ grant_type: 'refresh_token', refresh_token: 'unknown' });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('');
  });

  it('sends expires_in as a string when told to', async () => {
    await fake.close();
    fake = await startFantemFake({ expiresInAs: 'string' });
    const response = await urlencoded({ grant_type: 'authorization_code', code: fake.issueCode() });
    expect(((await response.json()) as { expires_in: unknown }).expires_in).toBe('36000');
  });

  it('answers outside the spec for a wrong method or path', async () => {
    expect((await fetch(`${fake.url}/oauth/token`)).status).toBe(405);
    expect((await post('', {}, '/oauth/authorize')).status).toBe(404);
  });
});
