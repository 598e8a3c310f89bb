/**
 * One process of a test fleet: a token provider on a RedisStore, driven by the parent over the IPC channel.
 * Started by `fleet.ts` with `node --import tsx`; the vendor fakes and Redis servers are the parent's.
 */
import type { TokenProvider, TokenProviderEvent } from '@token-clients/core';
import { RedisStore } from '../../src/index.js';
import { connectClient, type TestClient } from './clients.js';
import { MEMBER_HEADER, type ParentMessage, type Reply, type Scenario } from './fleet.js';

const index = process.argv[2]!;
const send = (message: { type: 'ready' } | { type: 'event'; event: string } | Reply) => process.send!(message);

/** The parent's clock when it drives time (`now` in the scenario), else the machine's. */
let now: number | undefined;
const clock = { now: () => now ?? Date.now() };

/** Names this process on every upstream request, so the test can tell which process holds the lease. */
const namingFetch: typeof fetch = (input, init) => {
  const request = new Request(input, init);
  request.headers.set(MEMBER_HEADER, index);
  return fetch(request);
};

let current: { provider: TokenProvider; redis: TestClient } | undefined;

async function setup(scenario: Scenario): Promise<void> {
  await teardown();
  now = scenario.now;
  const redis = await connectClient(scenario.library, scenario.redisUrl);
  const settings = {
    store: new RedisStore({ client: redis.client, keyPrefix: scenario.keyPrefix }),
    clock,
    ...(scenario.leaseMs === undefined ? {} : { leaseMs: scenario.leaseMs }),
    onEvent: (event: TokenProviderEvent) =>
      send({ type: 'event', event: event.type === 'token_refreshed' && event.background ? 'token_refreshed (background)' : event.type }),
  };
  const options = {
    clientId: scenario.clientId,
    clientSecret: scenario.clientSecret,
    baseUrl: scenario.baseUrl,
    clock,
    fetch: namingFetch,
    ...(scenario.timeoutMs === undefined ? {} : { timeoutMs: scenario.timeoutMs }),
  };
  const provider: TokenProvider =
    scenario.vendor === 'dushu'
      ? (await import('@token-clients/dushu')).createDushuClient(options).tokenProvider(settings)
      : (await import('@token-clients/akubela')).createAkubelaClient(options).tokenProvider(settings);
  current = { provider, redis };
}

async function teardown(): Promise<void> {
  await current?.provider.close();
  await current?.redis.close();
  current = undefined;
}

async function getTokens(count: number): Promise<Omit<Reply, 'type' | 'id'>> {
  const results = await Promise.allSettled(Array.from({ length: count }, () => current!.provider.getToken()));
  const tokens = new Set<string>();
  const errors: string[] = [];
  let expiredServed = 0;
  for (const result of results) {
    if (result.status === 'rejected') {
      errors.push(String((result.reason as Error)?.message ?? result.reason));
      continue;
    }
    tokens.add(result.value.accessToken);
    if (result.value.expiresAt <= clock.now()) expiredServed += 1;
  }
  return { tokens: [...tokens], errors, expiredServed };
}

process.on('message', async (message: ParentMessage) => {
  const nothing = { tokens: [], errors: [], expiredServed: 0 };
  if (message.type === 'setup') {
    await setup(message.scenario);
    send({ type: 'done', id: message.id, ...nothing });
  } else if (message.type === 'get') {
    if (message.now !== undefined) now = message.now;
    send({ type: 'done', id: message.id, ...(await getTokens(message.count)) });
  } else {
    await teardown();
    send({ type: 'done', id: message.id, ...nothing });
    process.disconnect();
  }
});

send({ type: 'ready' });
