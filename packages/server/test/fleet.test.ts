import { randomUUID } from 'node:crypto';
import { startDushuFake, type DushuFake } from '@token-clients/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatedVendor, type GatedVendor } from './support/gated-vendor.js';
import { startRedisServer, type RedisServer } from './support/redis.js';
import { startService, writeConfig, type ServiceProcess } from './support/service-process.js';

// Three replicas of the bin on one real redis-server: one upstream request for a whole fleet's callers,
// a replica killed mid-refresh, and Redis going away.

const KEY = 'fleet-caller-key-0123456789abcdefghijklmnop';
let redis: RedisServer;
let dushu: DushuFake;
let vendor: GatedVendor;
let replicas: ServiceProcess[] = [];

/** Each app is its own cold key: a client id no other test uses. */
function app(name: string, clientId: string) {
  return {
    [name]: {
      vendor: 'dushu',
      clientId,
      clientSecret: '${DUSHU_SECRET}',
      baseUrl: vendor.url,
      // Long enough that a held vendor answer outlasts the SIGKILL test's kill on a loaded machine (at 1 s it once
      // timed out first, and the caller got a 503 before its replica died).
      timeoutMs: 3_000,
      // A lease just over two request timeouts: a killed holder blocks the fleet for 7 s, not the default 30 s.
      provider: { leaseMs: 7_000 },
    },
  };
}

beforeAll(async () => {
  [redis, dushu] = await Promise.all([startRedisServer(), startDushuFake({ clientId: 'fleet-app' })]);
  vendor = await startGatedVendor(dushu.url);
  const config = await writeConfig({
    listen: { port: 0 },
    store: { type: 'redis', url: '${REDIS_URL}', keyPrefix: `fleet-${randomUUID()}:` },
    apps: app('storm', 'fleet-app'),
    callers: { all: { key: '${CALLER_KEY}', apps: ['storm'] } },
  });
  const env = { REDIS_URL: redis.url, DUSHU_SECRET: dushu.clientSecret, CALLER_KEY: KEY };
  replicas = await Promise.all([0, 1, 2].map(() => startService(config, env)));
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop('SIGKILL')));
  await vendor?.close();
  await dushu?.close();
  await redis?.stop();
});

async function token(replica: ServiceProcess): Promise<{ status: number; body: any }> {
  const response = await fetch(`${replica.url}/v1/apps/storm/token`, { headers: { authorization: `Bearer ${KEY}` } });
  return { status: response.status, body: await response.json() };
}

describe('three replicas on one Redis', () => {
  it('1,000 concurrent callers spread over them on a cold key cost one upstream request', async () => {
    vendor.hold();
    const answers = Promise.all(Array.from({ length: 1_000 }, (_, index) => token(replicas[index % 3]!)));
    // The vendor holds its answer until the first request is in, so the callers pile up behind one refresh.
    await vendor.received(1);
    vendor.open();
    const results = await answers;
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    expect(new Set(results.map((result) => result.body.access_token))).toEqual(new Set([dushu.issued[0]]));
    expect(vendor.requests).toHaveLength(1);
    expect(dushu.requests).toHaveLength(1);
  });

  it('serve on when Redis stops, and /readyz says so; ready again once it is back', async () => {
    const before = await token(replicas[0]!);
    await redis.stop();
    for (const replica of replicas) {
      const served = await token(replica);
      expect(served.status).toBe(200);
      expect(served.body.access_token).toBe(before.body.access_token);
      const ready = await fetch(`${replica.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'degraded', store: 'redis' });
    }
    expect(dushu.requests).toHaveLength(1);
    await redis.start();
    for (const replica of replicas) await eventuallyReady(replica);
  });

  it('keep serving when one replica is killed with SIGKILL mid-refresh', async () => {
    // Invalidate the fleet's token through replica 0 and hold the vendor's answer: replica 0 holds the lease.
    vendor.hold();
    const current = (await token(replicas[0]!)).body.access_token as string;
    const invalidated = await fetch(`${replicas[0]!.url}/v1/apps/storm/token/invalidate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: current }),
    });
    expect(invalidated.status).toBe(204);
    const inFlight = token(replicas[0]!).catch((error: unknown) => error);
    await vendor.received(2);
    const killed = replicas[0]!;
    expect(await killed.stop('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
    expect(await inFlight).toBeInstanceOf(Error);
    vendor.open();
    // The others serve: the token they hold, or a new one once the dead holder's lease has run out.
    const results = await Promise.all(Array.from({ length: 50 }, (_, index) => token(replicas[1 + (index % 2)]!)));
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    for (const result of results) expect(dushu.issued).toContain(result.body.access_token);

    // And a survivor can still refresh: the dead holder's lease runs out by itself.
    const held = results[0]!.body.access_token as string;
    await fetch(`${replicas[1]!.url}/v1/apps/storm/token/invalidate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: held }),
    });
    const renewed = await token(replicas[1]!);
    expect(renewed.status).toBe(200);
    expect(renewed.body.access_token).not.toBe(held);
    expect(renewed.body.access_token).toBe(dushu.issued.at(-1));
    expect((await token(replicas[2]!)).status).toBe(200);
  });
});

async function eventuallyReady(replica: ServiceProcess): Promise<void> {
  // The Redis client reconnects by itself (backoff up to 2 s); readiness follows within a few seconds.
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    if ((await fetch(`${replica.url}/readyz`)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${replica.url} did not become ready again after Redis came back`);
}
