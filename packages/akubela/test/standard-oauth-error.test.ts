/**
 * Issue 17: Akubela's refusals come in its `success: false` envelope, but a standard OAuth 2.0 server in front of
 * it answers RFC 6749 §5.2 bodies. A refresh token refused that way is dropped for the client credentials, and
 * never sent again.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failure, startAkubelaFake, type AkubelaFake } from '@token-clients/testkit';
import { createAkubelaClient } from '../src/index.js';

let fake: AkubelaFake;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startAkubelaFake({ now: () => now });
});
afterEach(async () => {
  await fake.close();
});

const client = () => createAkubelaClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock });

it('reads an RFC 6749 body without the envelope as a refusal, at a 200 too', async () => {
  const akubela = client();
  const first = await akubela.requestToken();
  fake.inject({ type: 'oauth-error', status: 200, error: 'invalid_grant', description: 'refresh token revoked' }, 1);
  const error = await failure(akubela.refresh(first.refreshToken!));
  expect(error.code).toBe('invalid_grant');
  expect(error.vendorMessage).toBe('refresh token revoked');
  fake.inject({ type: 'oauth-error', status: 401, error: 'invalid_client' }, 1);
  expect((await failure(akubela.requestToken())).code).toBe('invalid_client');
});

it('falls back to client credentials once, and never sends the refused refresh token again', async () => {
  const provider = client().tokenProvider({ backoffInitialMs: 1, backoffMaxMs: 1 });
  try {
    const first = await provider.getToken();
    fake.inject({ type: 'oauth-error', status: 400, error: 'invalid_grant' }, 1);
    now = first.expiresAt + 1;
    const second = await provider.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    const grants = fake.requests.map((request) => request.form.get('grant_type'));
    expect(grants).toEqual(['client_credentials', 'refresh_token', 'client_credentials']);
    const refused = fake.requests[1]!.form.get('refresh_token');
    now = second.expiresAt + 1;
    await provider.getToken();
    expect(fake.requests.slice(3).map((request) => request.form.get('refresh_token'))).not.toContain(refused);
  } finally {
    await provider.close();
  }
});
