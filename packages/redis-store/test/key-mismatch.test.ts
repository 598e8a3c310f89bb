import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { MemoryStore, TokenError, type TokenSet } from '@token-clients/core';
import { startDushuFake, type DushuFake } from '@token-clients/testkit';
import { RedisStore, type RedisStoreEvent } from '../src/index.js';
import { connectClient, uniquePrefix, type TestClient } from './support/clients.js';
import { runTwoProviders } from './support/two-providers.js';

// Issue 12, item 13: two processes with different encryption keys on one Redis. The one that cannot read the
// stored value says so by key id, leaves the value alone and keeps its own token, so neither undoes the other's
// writes and together they make no more vendor calls than two independent processes.

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const token = (name: string): TokenSet => ({ accessToken: `access-${name}`, tokenType: 'bearer', expiresAt: T0 + HOUR, raw: {} });
const keyA = randomBytes(32);
const keyB = randomBytes(32);

let clients: TestClient[];
let prefix: string;
let events: RedisStoreEvent[][];
beforeEach(async () => {
  clients = await Promise.all([connectClient('node-redis', inject('redisUrl')), connectClient('ioredis', inject('redisUrl'))]);
  prefix = uniquePrefix();
  events = [[], []];
});
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
});

/** Process `index`'s store: its own Redis client, its own encryption key. */
const store = (index: 0 | 1, encryptionKey: Buffer | undefined) =>
  new RedisStore({ client: clients[index]!.client, keyPrefix: prefix, encryptionKey, onEvent: (event) => events[index]!.push(event) });
const keyIdIn = async (key: string) => String(await clients[0]!.command('HGET', `${prefix}{${key}}:token`, 'd')).split('.')[1]!;

describe('two processes with different encryption keys', () => {
  it('are told apart by key id, and the one without the key neither reads nor overwrites the value', async () => {
    const [a, b] = [store(0, keyA), store(1, keyB)];
    await a.compareAndSet('k', 0, token('a'), T0);
    await b.compareAndSet('id-of-b', 0, token('b'), T0);
    const [idA, idB] = [await keyIdIn('k'), await keyIdIn('id-of-b')];

    const error = await b.get('k').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: 'invalid_configuration', vendor: 'redis-store' });
    const message = (error as Error).message;
    expect(message).toContain(`was encrypted with key id ${idA}, and this store has key id ${idB}`);
    expect(message).toContain('the same encryptionKey');
    for (const secret of [keyA, keyB]) for (const form of ['hex', 'base64'] as const) expect(message).not.toContain(secret.toString(form));

    // Reported once, however often it is read; writes and the lease fail the same way, and nothing is written.
    await expect(b.get('k')).rejects.toThrow(idA);
    await expect(b.compareAndSet('k', 0, token('b'), T0)).rejects.toThrow(idA);
    await expect(b.compareAndSet('k', 1, token('b'), T0)).rejects.toThrow(idA);
    await expect(b.acquireLease('k', 5_000)).rejects.toThrow(idA);
    await b.waitForUpdate('k', 0, 10_000);
    expect(events[1]).toEqual([{ type: 'key_mismatch', key: 'k', version: 1, foundKeyId: idA, ownKeyIds: [idB] }]);
    expect(await a.get('k')).toMatchObject({ version: 1, token: token('a') });
    expect(events[0]).toEqual([]);

    // Once the other's value is gone, this process writes as usual.
    await clients[0]!.command('DEL', `${prefix}{k}:token`);
    expect(await b.get('k')).toBeUndefined();
    expect(await b.compareAndSet('k', 0, token('b'), T0)).toMatchObject({ version: 1 });
  });

  it('a store without a key leaves an encrypted value alone; an encrypting store replaces a plain one', async () => {
    await store(0, keyA).compareAndSet('sealed', 0, token('a'), T0);
    await expect(store(1, undefined).get('sealed')).rejects.toThrow(/and this store has no encryption key/);
    expect(events[1]).toEqual([{ type: 'key_mismatch', key: 'sealed', version: 1, foundKeyId: await keyIdIn('sealed'), ownKeyIds: [] }]);

    await store(1, undefined).compareAndSet('plain', 0, token('plain'), T0);
    const encrypting = store(0, keyA);
    expect(await encrypting.get('plain')).toBeUndefined();
    expect(await encrypting.compareAndSet('plain', 0, token('a'), T0)).toMatchObject({ version: 2 });
  });

  describe('as two providers through twelve simulated hours, asked for a token every minute', () => {
    let dushu: DushuFake;
    const clock = { now: T0 };
    beforeEach(async () => {
      clock.now = T0;
      dushu = await startDushuFake({ now: () => clock.now });
    });
    afterEach(async () => {
      await dushu.close();
    });
    const day = { durationMs: 12 * HOUR, stepMs: 60_000 };

    it('make no more vendor calls than two independent processes, and the value in Redis stays readable to its writer', async () => {
      const independent = await runTwoProviders({ dushu, clock, stores: [new MemoryStore(), new MemoryStore()], ...day });
      clock.now = T0;
      const mismatched = await runTwoProviders({ dushu, clock, stores: [store(0, keyA), store(1, keyB)], ...day });

      expect(independent.errors).toEqual([]);
      expect(mismatched.errors).toEqual([]);
      expect(mismatched.vendorRequests).toBeLessThanOrEqual(independent.vendorRequests);
      // The first writer's value was never overwritten: it reads it back, and never saw anything it could not read.
      expect(events[0]).toEqual([]);
      expect(mismatched.events[0]).not.toContain('store_unavailable');
      // The other reported the mismatch once, by key id, and behaved as if Redis were down for this key.
      expect(events[1]).toEqual([expect.objectContaining({ type: 'key_mismatch', ownKeyIds: [expect.any(String)] })]);
      expect(mismatched.events[1]).toContain('store_unavailable');
      console.log(`vendor calls in 12 h: two mismatched processes ${mismatched.vendorRequests}, two independent ${independent.vendorRequests}`);
    });
  });
});
