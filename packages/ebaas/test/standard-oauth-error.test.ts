/**
 * Issue 17: ebaas answers in its `{code, msg, data}` envelope; a standard OAuth 2.0 server in front of it answers
 * RFC 6749 §5.2 bodies, whose `error` names the code. The envelope still wins where both are present.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failure, startEbaasFake, type EbaasFake } from '@token-clients/testkit';
import { createEbaasClient } from '../src/index.js';

let fake: EbaasFake;
const clock = { now: () => Date.UTC(2026, 10, 22, 8, 0, 0) };

beforeEach(async () => {
  fake = await startEbaasFake({ now: clock.now });
});
afterEach(async () => {
  await fake.close();
});

const client = () => createEbaasClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock });

it('reads an RFC 6749 body without the envelope by its error', async () => {
  fake.inject({ type: 'oauth-error', status: 400, error: 'invalid_client', description: 'bad secret' }, 1);
  const refusal = await failure(client().requestToken());
  expect(refusal.code).toBe('invalid_client');
  expect(refusal.vendorCode).toBe('invalid_client');
  expect(refusal.vendorMessage).toBe('bad secret');
  fake.inject({ type: 'oauth-error', status: 200, error: 'unauthorized_client' }, 1);
  expect((await failure(client().requestToken())).code).toBe('unauthorized_client');
});

it('keeps the envelope first where a body is both', async () => {
  fake.inject({ type: 'mutate', status: 400, change: (json) => ({ ...json, code: '403007', msg: 'client_secret不正确', data: null, error: 'invalid_scope' }) }, 1);
  const refusal = await failure(client().requestToken());
  expect(refusal.code).toBe('invalid_client');
  expect(refusal.vendorCode).toBe('403007');
});
