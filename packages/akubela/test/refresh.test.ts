import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAkubelaFake, type AkubelaFake } from '@token-clients/testkit';
import { createAkubelaClient } from '../src/index.js';
import { expectNoSecret, failure } from './support.js';

let fake: AkubelaFake;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  now = Date.UTC(2026, 10, 22, 8, 0, 0);
  fake = await startAkubelaFake({ now: () => now, refreshTokenLifetime: 30 * 86_400 });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

const client = (overrides: Partial<Parameters<typeof createAkubelaClient>[0]> = {}) =>
  createAkubelaClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock, ...overrides });

/** A refresh token fresh from the fake. */
async function firstRefreshToken(): Promise<string> {
  const token = await client().requestToken();
  return token.refreshToken!;
}

describe('refresh', () => {
  it('sends the refresh grant as a form body, without scope, and gets a new pair', async () => {
    const old = await firstRefreshToken();
    now += 60_000;
    const token = await client().refresh(old);

    const request = fake.requests[1]!;
    expect(request.method).toBe('POST');
    expect(request.mediaType).toBe('application/x-www-form-urlencoded');
    expect(request.headers['accept']).toBe('application/json');
    expect([...request.query.keys()]).toEqual([]);
    expect(Object.fromEntries(request.form)).toEqual({
      grant_type: 'refresh_token',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      refresh_token: old,
    });

    expect(token.accessToken).toBe(fake.issued[1]);
    expect(token.refreshToken).toBe(fake.issuedRefreshTokens[1]);
    expect(token.refreshToken).not.toBe(old);
    expect(token.expiresAt).toBe(now + 3600 * 1000);
    expect(fake.grants).toEqual({ client_credentials: 1, refresh_token: 1 });
  });

  it('rotates: the refresh token sent is dead and the new one lives', async () => {
    const old = await firstRefreshToken();
    const next = (await client().refresh(old)).refreshToken!;
    expect(fake.isRefreshTokenLive(old)).toBe(false);
    expect(fake.isRefreshTokenLive(next)).toBe(true);
  });

  it('follows a chain of rotations without ever presenting a spent refresh token', async () => {
    let refreshToken = await firstRefreshToken();
    for (let round = 0; round < 5; round++) {
      now += 3_000_000;
      refreshToken = (await client().refresh(refreshToken)).refreshToken!;
    }
    expect(new Set(fake.issuedRefreshTokens).size).toBe(6);
    expect(fake.grants.refresh_token).toBe(5);
    expect(fake.spentRefreshTokenUses).toBe(0);
  });

  it('sends expires_in on a refresh when asked', async () => {
    const old = await firstRefreshToken();
    const token = await client({ expiresIn: 1800 }).refresh(old, { expiresIn: 900 });
    expect(fake.requests[1]?.form.get('expires_in')).toBe('900');
    expect(token.expiresAt).toBe(now + 900 * 1000);
  });

  it('maps a spent refresh token to invalid_grant and never shows it, though the vendor echoes it', async () => {
    const old = await firstRefreshToken();
    await client().refresh(old);
    const error = await failure(client().refresh(old));
    expect(error).toMatchObject({ code: 'invalid_grant', status: 400, vendorCode: 'invalid_grant', retryable: false });
    expect(error.vendorMessage).toBe('Invalid refresh token: [redacted]');
    expectNoSecret(error, [old, fake.clientSecret]);
    expect(fake.spentRefreshTokenUses).toBe(1);
  });

  it('maps an unknown refresh token to invalid_grant', async () => {
    const error = await failure(client().refresh('r00000000000000000000000000000000'));
    expect(error.code).toBe('invalid_grant');
    expect(fake.spentRefreshTokenUses).toBe(1);
  });

  it('maps an expired refresh token to invalid_grant', async () => {
    const old = await firstRefreshToken();
    now += 30 * 86_400 * 1000;
    const error = await failure(client().refresh(old));
    expect(error.code).toBe('invalid_grant');
    expect(fake.expiredRefreshTokenUses).toBe(1);
    expect(fake.spentRefreshTokenUses).toBe(0);
  });

  it('maps a revoked refresh token to invalid_grant', async () => {
    const old = await firstRefreshToken();
    fake.revokeRefreshTokens();
    expect(fake.isRefreshTokenLive(old)).toBe(false);
    expect((await failure(client().refresh(old))).code).toBe('invalid_grant');
    expect(fake.revokedRefreshTokenUses).toBe(1);
  });

  it('keeps invalid_client when the client credentials are wrong', async () => {
    const old = await firstRefreshToken();
    const error = await failure(client({ clientSecret: 'wrong-secret-123' }).refresh(old));
    expect(error).toMatchObject({ code: 'invalid_client', status: 401 });
    expect(fake.isRefreshTokenLive(old)).toBe(true);
  });

  it.each([
    ['401 without a code', 401, {}, 'invalid_grant', false],
    ['403 with a message only', 403, { message: 'token expired' }, 'invalid_grant', false],
    ['invalid_request', 400, { success: false, error: 'invalid_request', error_description: 'Refresh token already claimed' }, 'invalid_grant', false],
    ['an unknown code with status 200', 200, { success: false, timestamp: 1, code: 40011, msg: 'refresh token expired' }, 'invalid_grant', false],
    ['unsupported_grant_type', 400, { success: false, error: 'unsupported_grant_type' }, 'unsupported_grant_type', false],
    ['invalid_scope', 400, { success: false, error: 'invalid_scope' }, 'invalid_scope', false],
    ['unauthorized_client inside result', 200, { success: false, result: { code: 'unauthorized_client' } }, 'unauthorized_client', false],
    ['temporarily_unavailable', 200, { success: false, error: 'temporarily_unavailable' }, 'server_error', true],
    ['a 5xx with invalid_grant', 500, { success: false, error: 'invalid_grant' }, 'server_error', true],
  ] as const)('reads a refusal with %s as %s (spec ruling 7)', async (_name, status, body, code, retryable) => {
    const old = await firstRefreshToken();
    fake.inject({ type: 'mutate', status, change: () => body }, 1);
    const error = await failure(client().refresh(old));
    expect(error).toMatchObject({ code, status, retryable });
  });

  it('keeps rate limits and proxy failures retryable: the refresh token may still be alive', async () => {
    const old = await firstRefreshToken();
    fake.inject({ type: 'rate-limit', retryAfterSeconds: 5 }, 1);
    expect(await failure(client().refresh(old))).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 5000 });
    fake.inject({ type: 'status', status: 502 }, 1);
    expect(await failure(client().refresh(old))).toMatchObject({ code: 'server_error', retryable: true });
  });

  it('shows that a lost answer may have spent the refresh token (spec ruling 13)', async () => {
    const old = await firstRefreshToken();
    fake.inject({ type: 'reset' }, 1);
    expect(await failure(client().refresh(old))).toMatchObject({ code: 'network_error', retryable: true });
    expect(await failure(client().refresh(old))).toMatchObject({ code: 'invalid_grant' });
    expect(fake.spentRefreshTokenUses).toBe(1);
  });

  it('rejects an empty refresh token as invalid_request without sending anything', async () => {
    expect((await failure(client().refresh(''))).code).toBe('invalid_request');
    expect((await failure(client().refresh(undefined as never))).code).toBe('invalid_request');
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects a bad per-call lifetime without sending anything', async () => {
    expect((await failure(client().refresh('r1', { expiresIn: -1 }))).code).toBe('invalid_request');
    expect(fake.requests).toHaveLength(0);
  });
});
