/**
 * Fleet: N processes share one token through the Redis store. Each refresh is a storm across the fleet — every
 * process finds its copy expired at the same moment — and the vendor should still see one request (goal: 1
 * per refresh). Also: what a cache hit costs with the Redis store against the memory store (a hit is served
 * from the process's own copy, so it should cost the same).
 */
import type { ChildProcess } from 'node:child_process';
import { createDushuClient } from '@token-clients/dushu';
import type { TokenStore } from '@token-clients/core';
import { forkTs, nextMessage, startFakeProcess, stopChild } from './fakes.js';
import type { FleetWorkerAnswer, FleetWorkerOptions } from './fleet-worker.js';
import { connectRedis, startRedisServer } from './redis-server.js';
import { interleave, medians, nsPerOp, sleep } from './stats.js';
import { ns, ratio, yesNo, type BenchOptions, type BenchResult } from './table.js';

/** Issued tokens live 2 s, so the fleet goes through a refresh every couple of seconds. */
const LIFETIME_S = 2;
const LATENCY_MS = 20;

type RedisStoreClass = new (options: { client: object; keyPrefix?: string }) => TokenStore;

/** redis-store's RedisStore as a user gets it (its dist/), or undefined while that package is not built. */
async function loadRedisStore(): Promise<RedisStoreClass | undefined> {
  try {
    const module = (await import('@token-clients/redis-store')) as { RedisStore?: unknown };
    return typeof module.RedisStore === 'function' ? (module.RedisStore as RedisStoreClass) : undefined;
  } catch {
    return undefined;
  }
}

export async function fleet({ quick }: BenchOptions): Promise<BenchResult> {
  const processes = quick ? 3 : 8;
  const refreshes = quick ? 2 : 6;
  const label = `Fleet (${processes} processes, Redis)`;
  const RedisStore = await loadRedisStore();
  if (!RedisStore) {
    const skipped = 'skipped: redis-store not built';
    return {
      rows: [
        { benchmark: `${label}: upstream requests per refresh`, ours: '—', baseline: '—', ratio: '—', goal: '1', met: skipped },
        { benchmark: `${label}: cache hit vs memory store`, ours: '—', baseline: '—', ratio: '—', goal: '≤ 1.2×', met: skipped },
      ],
      notes: ['Fleet: skipped — @token-clients/redis-store has no built RedisStore (run `pnpm build`); no number is reported.'],
    };
  }

  const redisServer = await startRedisServer();
  const fake = await startFakeProcess({ vendor: 'dushu', latencyMs: LATENCY_MS, expiresIn: LIFETIME_S });
  const hitsFake = await startFakeProcess({ vendor: 'dushu' });
  const workers: ChildProcess[] = [];
  const redis = await connectRedis(redisServer.url);
  try {
    const keyPrefix = `bench-${process.pid}:`;
    const workerOptions: FleetWorkerOptions = { fakeUrl: fake.url, clientId: fake.clientId, clientSecret: fake.clientSecret, redisUrl: redisServer.url, keyPrefix };
    for (let i = 0; i < processes; i++) workers.push(forkTs('./fleet-worker.ts', [JSON.stringify(workerOptions)]));
    await Promise.all(workers.map((worker) => nextMessage(worker)));

    // Refresh storms: the first on an empty store, each next one once every copy has expired.
    const requestsPerRefresh: number[] = [];
    const tokensPerRefresh: number[] = [];
    let expiresAt = 0;
    for (let refresh = 0; refresh < refreshes; refresh++) {
      if (refresh > 0) await sleep(Math.max(0, expiresAt - Date.now()) + 50);
      const before = await fake.requestCount();
      const answers = await Promise.all(
        workers.map((worker) => {
          const answer = nextMessage<FleetWorkerAnswer>(worker);
          worker.send('get');
          return answer;
        }),
      );
      const failed = answers.find((answer): answer is { error: string } => 'error' in answer);
      if (failed) throw new Error(`a fleet process failed to get a token: ${failed.error}`);
      requestsPerRefresh.push((await fake.requestCount()) - before);
      const served = answers as { token: string; expiresAt: number }[];
      tokensPerRefresh.push(new Set(served.map((answer) => answer.token)).size);
      expiresAt = Math.max(...served.map((answer) => answer.expiresAt));
    }
    const total = requestsPerRefresh.reduce((sum, n) => sum + n, 0);

    // Cache hits in this process: one warm provider on the Redis store, one on the memory store. Their fake
    // issues the usual 2-hour tokens, so that no refresh falls inside the measurement.
    const client = () => createDushuClient({ clientId: hitsFake.clientId, clientSecret: hitsFake.clientSecret, baseUrl: hitsFake.url });
    const onRedis = client().tokenProvider({ store: new RedisStore({ client: redis.client, keyPrefix: `${keyPrefix}hits:` }) });
    const onMemory = client().tokenProvider();
    const iterations = quick ? 2_000 : 200_000;
    await Promise.all([onRedis.getAccessToken(), onMemory.getAccessToken()]);
    const hitsBefore = await hitsFake.requestCount();
    const hits = medians(
      await interleave(
        { redis: () => nsPerOp(() => onRedis.getAccessToken(), iterations), memory: () => nsPerOp(() => onMemory.getAccessToken(), iterations) },
        { rounds: quick ? 3 : 21, warmupRounds: 1 },
      ),
    );
    if ((await hitsFake.requestCount()) !== hitsBefore) throw new Error('a request reached the fake during the cache-hit measurement');
    await Promise.all([onRedis.close(), onMemory.close()]);

    return {
      rows: [
        {
          benchmark: `${label}: upstream requests per refresh`,
          ours: `${(total / refreshes).toFixed(2)} (max ${Math.max(...requestsPerRefresh)})`,
          baseline: '—',
          ratio: '—',
          goal: '1',
          met: yesNo(Math.max(...requestsPerRefresh) === 1),
        },
        {
          benchmark: `${label}: cache hit vs memory store`,
          ours: ns(hits.redis),
          baseline: ns(hits.memory),
          ratio: ratio(hits.redis, hits.memory),
          goal: '≤ 1.2×',
          met: yesNo(hits.redis <= 1.2 * hits.memory),
        },
      ],
      notes: [
        `Fleet: ${processes} child processes, each with a dushu \`tokenProvider({ store: new RedisStore({ client }) })\` ` +
          `(node-redis) on one redis-server started for the run, against the dushu fake (own process, ${LATENCY_MS} ms ` +
          `latency, ${LIFETIME_S}-second tokens). ${refreshes} refreshes: all processes call \`getToken()\` at once on an ` +
          `empty store, then again each time every copy has expired. Upstream requests per refresh: ` +
          `${requestsPerRefresh.join(', ')}; distinct tokens handed out per refresh: ${tokensPerRefresh.join(', ')}. ` +
          `Cache hit: two warm providers in the parent process, one per store, ${iterations.toLocaleString('en')} calls ` +
          `per sample, interleaved rounds, medians, against a fake issuing 2-hour tokens; no request reached it while ` +
          `measuring (checked).`,
      ],
    };
  } finally {
    await Promise.all(workers.map((worker) => stopChild(worker)));
    await redis.disconnect();
    await Promise.all([fake.close(), hitsFake.close(), redisServer.stop()]);
  }
}
