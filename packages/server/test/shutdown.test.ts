import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { startDushuFake, type DushuFake } from '@token-clients/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatedVendor, type GatedVendor } from './support/gated-vendor.js';
import { startRedisServer, type RedisServer } from './support/redis.js';
import { startService, writeConfig } from './support/service-process.js';

// SIGTERM: in-flight answers finish, and a refresh that cannot finish in the grace period gives its lease back.

const KEY = 'shutdown-caller-key-0123456789abcdefghijklm';
let redis: RedisServer;
let dushu: DushuFake;
let vendor: GatedVendor;

beforeAll(async () => {
  [redis, dushu] = await Promise.all([startRedisServer(), startDushuFake()]);
  vendor = await startGatedVendor(dushu.url);
});

afterAll(async () => {
  await vendor?.close();
  await dushu?.close();
  await redis?.stop();
});

async function serviceWith(prefix: string, shutdownGraceMs: number) {
  const config = await writeConfig({
    listen: { port: 0 },
    store: { type: 'redis', url: '${REDIS_URL}', keyPrefix: prefix },
    apps: { reading: { vendor: 'dushu', clientId: dushu.clientId, clientSecret: '${DUSHU_SECRET}', baseUrl: vendor.url } },
    callers: { all: { key: '${CALLER_KEY}', apps: ['reading'] } },
    limits: { shutdownGraceMs },
  });
  return startService(config, { REDIS_URL: redis.url, DUSHU_SECRET: dushu.clientSecret, CALLER_KEY: KEY });
}

const redisKeys = async (pattern: string) =>
  (await promisify(execFile)('redis-cli', ['-p', String(redis.port), '--scan', '--pattern', pattern])).stdout.split('\n').filter(Boolean);

describe('SIGTERM', () => {
  it('lets an in-flight answer finish, then exits 0', async () => {
    const prefix = `shutdown-${randomUUID()}:`;
    const service = await serviceWith(prefix, 10_000);
    vendor.hold();
    const inFlight = fetch(`${service.url}/v1/apps/reading/token`, { headers: { authorization: `Bearer ${KEY}` } });
    await vendor.received(vendor.requests.length + 1);
    const stopped = service.stop('SIGTERM');
    // The service is shutting down, and waiting for this answer: let the vendor answer now.
    await expect.poll(() => service.lines.some((line) => line.includes('shutting down'))).toBe(true);
    vendor.open();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    // The connection's last answer: the client does not keep an idle socket that would hold the shutdown.
    expect(answer.headers.get('connection')).toBe('close');
    expect((await answer.json()).access_token).toBe(dushu.issued.at(-1));
    expect(await stopped).toEqual({ code: 0, signal: null });
    expect(await redisKeys(`${prefix}*lease`)).toEqual([]);
  });

  it('gives the refresh lease back when a refresh cannot finish within the grace period', async () => {
    const prefix = `shutdown-${randomUUID()}:`;
    const service = await serviceWith(prefix, 300);
    vendor.hold();
    const inFlight = fetch(`${service.url}/v1/apps/reading/token`, { headers: { authorization: `Bearer ${KEY}` } }).catch((error: unknown) => error);
    await vendor.received(vendor.requests.length + 1);
    expect(await redisKeys(`${prefix}*lease`)).toHaveLength(1);
    expect(await service.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    // The lease (30 s by default) is gone at once, so another replica need not wait for it to run out.
    expect(await redisKeys(`${prefix}*lease`)).toEqual([]);
    await inFlight;
    vendor.open();
  });
});
