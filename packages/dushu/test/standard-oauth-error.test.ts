/**
 * Issue 17: dushu's documented error shape is RFC 6749's, read by the rule core shares with every vendor:
 * its `error` names the code, `429`/`5xx` stay retryable whatever it says, and other shapes go by the status.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failure, startDushuFake, type DushuFake } from '@token-clients/testkit';
import { createDushuClient } from '../src/index.js';

let fake: DushuFake;
const clock = { now: () => Date.UTC(2026, 10, 22, 8, 0, 0) };

beforeEach(async () => {
  fake = await startDushuFake({ now: clock.now });
});
afterEach(async () => {
  await fake.close();
});

const client = () => createDushuClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock });

it.each([
  { status: 400, error: 'invalid_client', code: 'invalid_client' },
  { status: 401, error: 'unauthorized_client', code: 'unauthorized_client' },
  { status: 400, error: 'invalid_scope', code: 'invalid_scope' },
  { status: 400, error: 'temporarily_unavailable', code: 'server_error' },
  { status: 400, error: 'x_vendor_extension', code: 'invalid_request' },
  { status: 503, error: 'invalid_client', code: 'server_error' },
  { status: 429, error: 'invalid_request', code: 'rate_limited' },
])('$status {error: $error} is $code', async ({ status, error, code }) => {
  fake.inject({ type: 'oauth-error', status, error, description: 'said the server' }, 1);
  const refusal = await failure(client().requestToken());
  expect(refusal.code).toBe(code);
  expect(refusal.vendorCode).toBe(error);
  expect(refusal.vendorMessage).toBe('said the server');
});

it('does not take a Spring error page body ({"error": "Bad Request"}) for an OAuth error code', async () => {
  fake.inject({ type: 'mutate', status: 400, change: () => ({ status: 400, error: 'Bad Request', path: '/oauth/token' }) }, 1);
  const refusal = await failure(client().requestToken());
  expect(refusal.code).toBe('invalid_request');
  expect(refusal.vendorCode).toBeUndefined();
});
