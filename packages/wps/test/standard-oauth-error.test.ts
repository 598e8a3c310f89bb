/**
 * Issue 17: WPS documents `{code, msg}` failures, but a standard OAuth 2.0 server (a gateway in front of WPS,
 * its next API version) answers RFC 6749 §5.2 bodies. A refused refresh token in that shape must end the user's
 * provider in `reauthorization_required`, and the dead refresh token must never be sent again.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failure, startWpsFake, type WpsFake } from '@token-clients/testkit';
import { createWpsClient } from '../src/index.js';

let fake: WpsFake;
let now: number;
const clock = { now: () => now };
const REDIRECT_URI = 'https://app.example/wps/callback';

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startWpsFake({ now: () => now });
});
afterEach(async () => {
  await fake.close();
});

const client = () => createWpsClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock });

it('reads an RFC 6749 invalid_grant body as invalid_grant, with its error and description', async () => {
  const wps = client();
  const initial = await wps.exchangeCode({ code: fake.issueCode({ redirectUri: REDIRECT_URI }), redirectUri: REDIRECT_URI });
  fake.inject({ type: 'oauth-error', status: 400, error: 'invalid_grant', description: 'refresh token revoked' }, 1);
  const error = await failure(wps.refresh(initial.refreshToken!));
  expect(error.code).toBe('invalid_grant');
  expect(error.vendorCode).toBe('invalid_grant');
  expect(error.vendorMessage).toBe('refresh token revoked');
});

it('reads an RFC 6749 invalid_client body as invalid_client for every grant', async () => {
  fake.inject({ type: 'oauth-error', status: 400, error: 'invalid_client' }, 1);
  expect((await failure(client().requestToken())).code).toBe('invalid_client');
});

it('keeps its documented {code, msg} reading first', async () => {
  fake.inject({ type: 'mutate', status: 400, change: () => ({ code: 40003, msg: 'bad', error: 'invalid_scope' }) }, 1);
  expect((await failure(client().refresh('rt-1'))).code).toBe('invalid_grant');
});

it('ends a user provider in reauthorization_required and never sends the refused refresh token again', async () => {
  const wps = client();
  const initial = await wps.exchangeCode({ code: fake.issueCode({ redirectUri: REDIRECT_URI }), redirectUri: REDIRECT_URI });
  const provider = wps.userTokenProvider({ subject: 'user-1', initial, backoffInitialMs: 1, backoffMaxMs: 1 });
  try {
    fake.inject({ type: 'oauth-error', status: 400, error: 'invalid_grant', description: 'refresh token expired' });
    now = initial.expiresAt + 1;
    const error = await failure(provider.getToken());
    expect(error.code).toBe('reauthorization_required');
    expect((error.cause as { code?: string }).code).toBe('invalid_grant');
    const sent = fake.requests.length;
    for (let attempt = 0; attempt < 3; attempt++) {
      now += 10 * 60_000;
      expect((await failure(provider.getToken())).code).toBe('reauthorization_required');
    }
    expect(fake.requests.length).toBe(sent);
  } finally {
    await provider.close();
  }
});
