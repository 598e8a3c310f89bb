/**
 * Issue 17: Fantem documents only a bare 400, but a standard OAuth 2.0 server in front of it answers RFC 6749
 * §5.2 bodies. Their `error` names the code, and a refused refresh token ends the user's provider in
 * `reauthorization_required` without being sent again.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failure, startFantemFake, type FantemFake } from '@token-clients/testkit';
import { createFantemClient } from '../src/index.js';

const REDIRECT_URI = 'https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA';
let fake: FantemFake;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startFantemFake({ now: () => now });
});
afterEach(async () => {
  await fake.close();
});

const client = () => createFantemClient({ clientId: fake.clientId, baseUrl: fake.url, clock });
const link = (fantem = client()) => fantem.exchangeCode({ code: fake.issueCode({ redirectUri: REDIRECT_URI }), redirectUri: REDIRECT_URI });

it('names the code from the RFC 6749 body rather than from the bare-400 rule', async () => {
  const fantem = client();
  const linked = await link(fantem);
  fake.inject({ type: 'oauth-error', status: 400, error: 'invalid_client', description: 'unknown client' }, 1);
  const error = await failure(fantem.refresh(linked.refreshToken!));
  expect(error.code).toBe('invalid_client');
  expect(error.vendorCode).toBe('invalid_client');
  expect(error.vendorMessage).toBe('unknown client');
});

it('reads an RFC 6749 error body sent with a 200 as the refusal it is', async () => {
  const fantem = client();
  const linked = await link(fantem);
  fake.inject({ type: 'oauth-error', status: 200, error: 'invalid_grant' }, 1);
  expect((await failure(fantem.refresh(linked.refreshToken!))).code).toBe('invalid_grant');
});

it('ends a user provider in reauthorization_required and never sends the refused refresh token again', async () => {
  const fantem = client();
  const initial = await link(fantem);
  const provider = fantem.userTokenProvider({ subject: 'alexa-user', initial, backoffInitialMs: 1, backoffMaxMs: 1 });
  try {
    fake.inject({ type: 'oauth-error', status: 401, error: 'invalid_grant', description: 'refresh token revoked' });
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
