import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startAkubelaFake, startDushuFake, type FakeServer } from '@token-clients/testkit';
import { RedisStore } from '../src/index.js';
import { connectClient, LIBRARIES, uniquePrefix, type TestClient } from './support/clients.js';
import { Fleet, MEMBER_HEADER, type Reply, type Scenario } from './support/fleet.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

// Eight OS processes, each with its own provider and Redis client — half node-redis, half ioredis, so both
// read and write the same keys — and the vendor fake here in the test process.

const FLEET_SIZE = 8;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);

type Vendor = FakeServer & { clientId: string; clientSecret: string };

let fleet: Fleet;
let fake: FakeServer | undefined;
let ownRedis: RedisServer | undefined;
let redis: TestClient;
let prefix: string;

beforeAll(async () => {
  fleet = await Fleet.start(FLEET_SIZE);
});
afterAll(async () => {
  await fleet.close().catch(() => fleet.kill());
});
beforeEach(async () => {
  redis = await connectClient('node-redis', inject('redisUrl'));
  prefix = uniquePrefix();
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await redis.close();
  await ownRedis?.stop();
  ownRedis = undefined;
});

/** Every process's part of a scenario on `vendor`. */
const scenario =
  (vendor: Vendor, extra: Partial<Scenario> = {}) =>
  (index: number): Scenario => ({
    redisUrl: inject('redisUrl'),
    library: LIBRARIES[index % LIBRARIES.length]!,
    keyPrefix: prefix,
    vendor: 'dushu',
    baseUrl: vendor.url,
    clientId: vendor.clientId,
    clientSecret: vendor.clientSecret,
    ...extra,
  });

/** Every caller got a token, none of them expired. */
function expectServed(replies: Reply[]): void {
  expect(replies.flatMap((reply) => reply.errors)).toEqual([]);
  expect(replies.reduce((sum, reply) => sum + reply.expiredServed, 0)).toBe(0);
}

/** A deterministic source of randomness, so a failing day can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The store key the fleet's providers use (the vendor package chooses it), found in Redis under the test's prefix. */
async function fleetKey(client: TestClient): Promise<string> {
  const names = (await client.command('KEYS', `${prefix}*:token`)) as string[];
  expect(names).toHaveLength(1);
  return names[0]!.slice(`${prefix}{`.length, -'}:token'.length);
}

describe(`a fleet of ${FLEET_SIZE} processes on one Redis`, () => {
  it('makes exactly one upstream request for 200 concurrent getToken() per process on a cold key', async () => {
    const dushu = await startDushuFake();
    fake = dushu;
    await fleet.setup(scenario(dushu));

    const replies = await fleet.getTokens(200);

    expectServed(replies);
    expect(dushu.requests.length).toBe(1);
    expect(new Set(replies.flatMap((reply) => reply.tokens))).toEqual(new Set([dushu.issued[0]]));
    expect(dushu.specViolations).toEqual([]);
  });

  it('refreshes a rotating refresh token through a simulated day: none sent spent, none lost', async () => {
    let now = T0;
    const akubela = await startAkubelaFake({ now: () => now });
    fake = akubela;
    await fleet.setup(scenario(akubela, { vendor: 'akubela', now }));
    const random = seeded(20261122);
    const served = new Set<string>();

    // Steps of 15 s to 6 min over hour-long tokens refreshed from 57 min on: some land in the refresh-ahead
    // window (one background refresh while the old token is served), some beyond it (callers wait for it).
    while (now < T0 + DAY) {
      const replies = await fleet.getTokens(5, now);
      expectServed(replies);
      for (const token of replies.flatMap((reply) => reply.tokens)) served.add(token);
      now += 15_000 + Math.floor(random() * (6 * MINUTE - 15_000));
    }
    // Let a last background refresh finish before looking (it holds the lease until it has committed).
    const key = await fleetKey(redis);
    for (let free = 0; free < 2; free = (await redis.command('EXISTS', `${prefix}{${key}}:lease`)) === 0 ? free + 1 : 0) {
      await pause(50);
    }

    expect(akubela.spentRefreshTokenUses).toBe(0);
    expect(akubela.grants.client_credentials).toBe(1);
    // Every refresh token but the newest was spent exactly once; the newest is alive and in Redis.
    const newest = akubela.issuedRefreshTokens.at(-1)!;
    expect(akubela.issuedRefreshTokens.filter((token) => akubela.isRefreshTokenLive(token))).toEqual([newest]);
    expect(akubela.grants.refresh_token).toBe(akubela.issuedRefreshTokens.length - 1);
    const stored = await new RedisStore({ client: redis.client, keyPrefix: prefix }).get(key);
    expect(stored?.token.refreshToken).toBe(newest);
    // One refresh per token lifetime for the whole fleet, not one per process.
    expect(akubela.grants.refresh_token).toBeGreaterThanOrEqual(DAY / HOUR - 1);
    expect(akubela.grants.refresh_token).toBeLessThanOrEqual(Math.ceil(DAY / (57 * MINUTE)));
    expect([...served].every((token) => akubela.issued.includes(token))).toBe(true);
    // The day went through both paths: refreshes in the background, and refreshes callers waited for.
    const refreshes = fleet.members.flatMap((member) => member.events);
    expect(refreshes).toContain('token_refreshed (background)');
    expect(refreshes).toContain('token_refreshed');
    expect(akubela.specViolations).toEqual([]);
  });

  it('takes over within the lease time when the lease holder is killed (SIGKILL) mid-refresh', async () => {
    const leaseMs = 2_000;
    const dushu = await startDushuFake();
    fake = dushu;
    // The lease outlives the request timeout, as the provider's defaults do (30 s and 10 s).
    await fleet.setup(scenario(dushu, { leaseMs, timeoutMs: 1_500 }));
    dushu.inject({ type: 'stall' }, 1);

    // Kill the holder the moment its request reaches the vendor (the fake leaves it unanswered), and note when
    // the next request arrives: the taker-over's.
    let holder = -1;
    let killedAt = 0;
    let takenOverAt = 0;
    const watcher = setInterval(() => {
      const [first, second] = dushu.requests;
      if (first && holder < 0) {
        holder = Number(first.headers[MEMBER_HEADER]);
        fleet.members[holder]!.child.kill('SIGKILL');
        killedAt = performance.now();
      }
      if (second) {
        takenOverAt = performance.now();
        clearInterval(watcher);
      }
    }, 2);

    const outcomes = await Promise.allSettled(fleet.members.map((member) => fleet.getTokensFrom(member, 50)));
    clearInterval(watcher);

    expect(outcomes[holder]?.status).toBe('rejected');
    const survivors = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(survivors).toHaveLength(FLEET_SIZE - 1);
    expectServed(survivors);
    // One other process asked again, and every survivor got its token.
    expect(dushu.requests.length).toBe(2);
    expect(Number(dushu.requests[1]!.headers[MEMBER_HEADER])).not.toBe(holder);
    expect(new Set(survivors.flatMap((reply) => reply.tokens))).toEqual(new Set([dushu.issued.at(-1)]));
    // The others waited for the dead holder's lease to run out (it was taken just before the killed request),
    // then one took over at once: within the lease time and a poll interval.
    expect(takenOverAt - killedAt).toBeGreaterThan(leaseMs - 300);
    expect(takenOverAt - killedAt).toBeLessThan(leaseMs + 500);
  });

  it('keeps serving while Redis is down, one request per process, says so, and shares again once it is back', async () => {
    // This test stops Redis, so it runs on a redis-server of its own.
    const server = await startRedisServer();
    ownRedis = server;
    let now = T0;
    const dushu = await startDushuFake({ now: () => now });
    fake = dushu;
    await fleet.setup(scenario(dushu, { redisUrl: server.url, now }));

    expectServed(await fleet.getTokens(50, now));
    expect(dushu.requests.length).toBe(1);

    // Redis goes away and the token expires: every process still serves, on its own single flight.
    await server.stop();
    now += 2 * HOUR;
    const during = await fleet.getTokens(50, now);
    expectServed(during);
    expect(dushu.requests.length).toBe(1 + FLEET_SIZE);
    expect(new Set(during.map((reply) => reply.tokens.length))).toEqual(new Set([1]));
    expect(new Set(during.flatMap((reply) => reply.tokens)).size).toBe(FLEET_SIZE);
    for (const member of fleet.members) expect(member.events).toContain('store_unavailable');

    // Redis comes back, empty. Once its client has reconnected, each process notices at its next store read
    // (at most 5 s later on its clock) and publishes the token it holds: no new request.
    await server.start();
    for (const deadline = performance.now() + 15_000; !fleet.members.every((member) => member.events.includes('store_recovered')); ) {
      expect(performance.now()).toBeLessThan(deadline);
      await pause(100);
      now += 5_000;
      expectServed(await fleet.getTokens(5, now));
    }
    expect(dushu.requests.length).toBe(1 + FLEET_SIZE);
    const back = await connectClient('ioredis', server.url);
    const stored = await new RedisStore({ client: back.client, keyPrefix: prefix }).get(await fleetKey(back));
    await back.close();
    expect(dushu.issued).toContain(stored?.token.accessToken);

    // Shared again: past the next expiry, the fleet makes one request.
    now += 2 * HOUR;
    const after = await fleet.getTokens(50, now);
    expectServed(after);
    expect(dushu.requests.length).toBe(2 + FLEET_SIZE);
    expect(new Set(after.flatMap((reply) => reply.tokens))).toEqual(new Set([dushu.issued.at(-1)]));
    expect(dushu.specViolations).toEqual([]);
  });
});
