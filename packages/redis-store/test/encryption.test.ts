import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TokenError, type TokenSet } from '@token-clients/core';
import { RedisStore, type EncryptionKey, type EncryptionKeys, type UnreadableValueEvent } from '../src/index.js';
import { connectClient, uniquePrefix, type TestClient } from './support/clients.js';

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const secretToken: TokenSet = {
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LWFjY2Vzcw.sig',
  tokenType: 'bearer',
  expiresAt: T0 + 3_600_000,
  refreshToken: 'r0123456789abcdef0123456789abcdef',
  raw: { access_token: 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LWFjY2Vzcw.sig', refresh_token: 'r0123456789abcdef0123456789abcdef' },
};

let redis: TestClient;
beforeAll(async () => {
  redis = await connectClient('ioredis', inject('redisUrl'));
});
afterAll(async () => {
  await redis.close();
});

describe('encryption at rest', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  let prefix: string;
  let unreadable: UnreadableValueEvent[];
  const store = (encryptionKey?: EncryptionKey | EncryptionKeys) =>
    new RedisStore({ client: redis.client, keyPrefix: prefix, encryptionKey, onUnreadableValue: (event) => unreadable.push(event) });
  const rawValue = async (key = 'k') => (await redis.command('HGET', `${prefix}{${key}}:token`, 'd')) as string;
  const reasons = () => unreadable.map((event) => event.reason);

  it('shows neither its key nor a token through inspect, JSON or String', async () => {
    const { inspect } = await import('node:util');
    prefix = uniquePrefix();
    const s = store(keyA);
    await s.compareAndSet('k', 0, secretToken, T0);
    await s.get('k');
    for (const shown of [inspect(s, { depth: Number.POSITIVE_INFINITY, showHidden: true }), JSON.stringify(s), String(s)]) {
      expect(shown).not.toContain(keyA.toString('hex'));
      expect(shown).not.toContain(keyA.toString('base64'));
      expect(shown).not.toContain(secretToken.accessToken);
      expect(shown).not.toContain(secretToken.refreshToken);
    }
  });

  it('leaves no token in Redis, and reads it back', async () => {
    prefix = uniquePrefix();
    const s = store(keyA);
    await s.compareAndSet('k', 0, secretToken, T0);
    const stored = JSON.stringify(await redis.command('HGETALL', `${prefix}{k}:token`));
    expect(stored).not.toContain(secretToken.accessToken);
    expect(stored).not.toContain(secretToken.refreshToken);
    expect(stored).not.toContain('c2VjcmV0');
    expect(await rawValue()).toMatch(/^gcm1\.[0-9a-f]{16}\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(await s.get('k')).toEqual({ token: secretToken, version: 1, obtainedAt: T0 });
  });

  it('uses a fresh IV for every write', async () => {
    prefix = uniquePrefix();
    const s = store(keyA);
    await s.compareAndSet('k', 0, secretToken, T0);
    const first = await rawValue();
    await s.compareAndSet('k', 1, secretToken, T0);
    expect((await rawValue()).split('.')[2]).not.toBe(first.split('.')[2]);
  });

  it('takes keys as bytes, base64 or hex, and gives the same result for each', async () => {
    prefix = uniquePrefix();
    await store(keyA).compareAndSet('k', 0, secretToken, T0);
    for (const form of [keyA.toString('base64'), keyA.toString('base64url'), keyA.toString('hex'), new Uint8Array(keyA)]) {
      expect((await store(form).get('k'))?.token).toEqual(secretToken);
    }
  });

  it('rotates: reads values written with a previous key, writes with the current one', async () => {
    prefix = uniquePrefix();
    unreadable = [];
    await store(keyA).compareAndSet('k', 0, secretToken, T0);
    const oldId = (await rawValue()).split('.')[1];

    const rotated = store({ current: keyB, previous: [keyA] });
    expect((await rotated.get('k'))?.token).toEqual(secretToken);
    await rotated.compareAndSet('k', 1, { ...secretToken, accessToken: 'next' }, T0);
    expect((await rawValue()).split('.')[1]).not.toBe(oldId);

    // Once every value is rewritten, the old key can go.
    expect((await store(keyB).get('k'))?.token.accessToken).toBe('next');
    // A process that never got the new key cannot read the new value: reported by key id, and left alone.
    const newId = (await rawValue()).split('.')[1];
    await expect(store(keyA).get('k')).rejects.toMatchObject({ code: 'invalid_configuration' });
    expect(reasons()).toEqual([`was encrypted with key id ${newId}, and this store has key id ${oldId}`]);
    expect(unreadable[0]).toMatchObject({ key: 'k', version: 2 });
  });

  it('treats a tampered value, a value moved from another key, and a replayed version as absent', async () => {
    prefix = uniquePrefix();
    unreadable = [];
    const s = store(keyA);
    await s.compareAndSet('k', 0, secretToken, T0);
    await s.compareAndSet('other', 0, { ...secretToken, accessToken: 'other' }, T0);
    const good = await rawValue();

    const parts = good.split('.');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    ciphertext[0]! ^= 1;
    parts[3] = ciphertext.toString('base64url');
    await redis.command('HSET', `${prefix}{k}:token`, 'd', parts.join('.'));
    expect(await s.get('k')).toBeUndefined();

    await redis.command('HSET', `${prefix}{k}:token`, 'd', await rawValue('other'));
    expect(await s.get('k')).toBeUndefined();

    await redis.command('HSET', `${prefix}{k}:token`, 'd', good, 'v', '7');
    expect(await s.get('k')).toBeUndefined();

    await redis.command('HSET', `${prefix}{k}:token`, 'd', good, 'v', '1');
    expect((await s.get('k'))?.token).toEqual(secretToken);
    expect(reasons()).toEqual(Array(3).fill(expect.stringMatching(/failed authentication/)));
  });

  it('refuses plain values when encryption is on, and encrypted ones when it is off', async () => {
    prefix = uniquePrefix();
    unreadable = [];
    await store().compareAndSet('plain', 0, secretToken, T0);
    await store(keyA).compareAndSet('sealed', 0, secretToken, T0);
    const encrypting = store(keyA);
    expect(await encrypting.get('plain')).toBeUndefined();
    // An encrypted value is another process's, under a key this one lacks: not read, not replaced.
    await expect(store().get('sealed')).rejects.toMatchObject({ code: 'invalid_configuration' });
    await expect(store().compareAndSet('sealed', 0, secretToken, T0)).resolves.toBeUndefined();
    expect(reasons()).toEqual([
      'the value is not encrypted, but this store requires encryption',
      expect.stringMatching(/^was encrypted with key id [0-9a-f]{16}, and this store has no encryption key$/),
    ]);
    // The provider then writes a new token over it, in the store's own form.
    expect(await encrypting.compareAndSet('plain', 0, secretToken, T0)).toMatchObject({ version: 2 });
    expect(await rawValue('plain')).toMatch(/^gcm1\./);
  });

  it('rejects keys that are not 256 bits, without echoing them', () => {
    const short = randomBytes(16).toString('base64');
    for (const bad of [short, 'a passphrase is not a key', randomBytes(31), 42, { previous: [] }, { current: keyA, previous: 'x' }]) {
      let error: unknown;
      try {
        store(bad as never);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(TokenError);
      expect(error).toMatchObject({ code: 'invalid_configuration' });
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => store({ current: keyA, previous: [keyB, randomBytes(8)] })).toThrow(/encryptionKey.previous\[1\] must be 32 bytes/);
  });
});
