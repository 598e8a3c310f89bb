import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAkubelaFake, type AkubelaFake } from '@token-clients/testkit';

// The fake is what later tests of the core provider rely on: it must refuse what the real server would.
let fake: AkubelaFake;

beforeEach(async () => {
  fake = await startAkubelaFake({ now: () => Date.UTC(2026, 10, 22, 8, 0, 0) });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

const path = '/api/v1.0/invoke/open-ability/method/oauth2/token';
const credentials = () => ({
  grant_type: 'client_credentials',
  client_id: fake.clientId,
  client_secret: fake.clientSecret,
  scope: 'hotel',
});

async function post(body: BodyInit, contentType: string, query = ''): Promise<{ status: number; json: any }> {
  const response = await fetch(`${fake.url}${path}${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType, accept: 'application/json' },
    body,
  });
  return { status: response.status, json: await response.json() };
}

describe('the Akubela fake', () => {
  it('answers the document example with the success envelope', async () => {
    const answer = await post(new URLSearchParams(credentials()).toString(), 'application/x-www-form-urlencoded');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      success: true,
      timestamp: Date.UTC(2026, 10, 22, 8, 0, 0),
      result: { access_token: fake.issued[0], refresh_token: fake.issuedRefreshTokens[0], token_type: 'bearer', expires_in: 3600 },
    });
    expect(fake.issued[0]).toMatch(/^a[0-9a-f]{32}$/);
  });

  it('refuses a JSON body with 415', async () => {
    const answer = await post(JSON.stringify(credentials()), 'application/json');
    expect(answer).toMatchObject({ status: 415, json: { success: false, error: 'invalid_request' } });
    expect(fake.issued).toHaveLength(0);
  });

  it('refuses parameters in the query string, even next to a form body', async () => {
    const query = `?${new URLSearchParams(credentials())}`;
    const answer = await post(new URLSearchParams(credentials()).toString(), 'application/x-www-form-urlencoded', query);
    expect(answer).toMatchObject({ status: 400, json: { success: false, error: 'invalid_request' } });
  });

  it('refuses another method and another path, outside the spec', async () => {
    const get = await fetch(`${fake.url}${path}`);
    expect(get.status).toBe(405);
    const other = await fetch(`${fake.url}/oauth/token`, { method: 'POST' });
    expect(other.status).toBe(404);
  });

  it.each([
    ['a missing grant type', { grant_type: '' }, 400, 'invalid_request'],
    ['the password grant', { grant_type: 'password' }, 400, 'unsupported_grant_type'],
    ['a missing scope', { scope: '' }, 400, 'invalid_scope'],
    ['another scope', { scope: 'hotel manager' }, 400, 'invalid_scope'],
    ['a lifetime that is not a positive integer', { expires_in: '0' }, 400, 'invalid_request'],
    ['a wrong client id', { client_id: 'c0' }, 401, 'invalid_client'],
  ])('refuses %s', async (_name, change, status, error) => {
    const form = Object.fromEntries(Object.entries({ ...credentials(), ...change }).filter(([, value]) => value !== ''));
    const answer = await post(new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded');
    expect(answer).toMatchObject({ status, json: { success: false, error } });
  });

  it('caps a requested lifetime at maxExpiresIn', async () => {
    await fake.close();
    fake = await startAkubelaFake({ maxExpiresIn: 7200 });
    const answer = await post(new URLSearchParams({ ...credentials(), expires_in: '999999' }).toString(), 'application/x-www-form-urlencoded');
    expect(answer.json.result.expires_in).toBe(7200);
  });
});
