/**
 * Measures what one provider does to Redis when its token key holds a record the store cannot read (issue 12,
 * items 2 and 3): commands per second while `getToken()` is pending, and whether it settles.
 * Run: `node --import tsx bench/corrupt-record.ts` (from packages/redis-store). Prints one line per case.
 */
import { createDushuClient } from '@token-clients/dushu';
import { startDushuFake } from '@token-clients/testkit';
import { RedisStore } from '../src/index.js';
import { connectClient } from '../test/support/clients.js';
import { startRedisServer } from '../test/support/redis-server.js';

const WINDOW_MS = 1_000;
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);

/** Ways a record can be unreadable: the raw commands that put it there. */
const CASES: Record<string, (key: string) => string[][]> = {
  'version not a number': (key) => [['HSET', key, 'v', 'x', 't', String(T0), 'd', '{}']],
  'bad JSON': (key) => [['HSET', key, 'v', '1', 't', String(T0), 'd', '{not json']],
  'missing fields': (key) => [['HSET', key, 'v', '3']],
  'undecryptable garbage': (key) => [['HSET', key, 'v', '2', 't', String(T0), 'd', 'gcm1.0000000000000000.AAAA.AAAA.AAAA']],
  'a string (wrong type)': (key) => [['SET', key, 'not a hash']],
  'a list (wrong type)': (key) => [['RPUSH', key, 'a', 'b']],
};

const server = await startRedisServer();
const dushu = await startDushuFake();
const admin = await connectClient('ioredis', server.url);
try {
  for (const [name, commands] of Object.entries(CASES)) {
    const redis = await connectClient('ioredis', server.url);
    const prefix = `bench-${name.replace(/\W+/g, '-')}:`;
    let now = T0;
    const clock = { now: () => now };
    const vendor = createDushuClient({ clientId: dushu.clientId, clientSecret: dushu.clientSecret, baseUrl: dushu.url, clock });
    const events: string[] = [];
    const store = new RedisStore({ client: redis.client, keyPrefix: prefix, onEvent: (event) => events.push(`store:${event.type}`) });
    const provider = vendor.tokenProvider({ store, clock, onEvent: (event) => events.push(event.type) });
    for (const command of commands(`${prefix}{${provider.key}}:token`)) await admin.command(...command);
    const requestsBefore = dushu.requests.length;
    // The first call gets a token; the second, a minute later, re-validates it against the store.
    await provider.getToken().catch(() => {});
    now += 60_000;
    const before = await processed();
    let settled = 'pending';
    const pending = provider.getToken().then(
      () => (settled = 'settled'),
      (error: Error) => (settled = `failed: ${error.message}`),
    );
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const commandsPerSecond = ((await processed()) - before - 1) / (WINDOW_MS / 1_000);
    console.log(
      `${name.padEnd(24)} ${settled.padEnd(10)} ${String(Math.round(commandsPerSecond)).padStart(7)} commands/s  ${dushu.requests.length - requestsBefore} vendor requests  events: ${[...new Set(events)].join(' ')}`,
    );
    await provider.close();
    await pending;
    await redis.close();
  }
} finally {
  await admin.close();
  await dushu.close();
  await server.stop();
}

async function processed(): Promise<number> {
  const info = String(await admin.command('INFO', 'stats'));
  return Number(/total_commands_processed:(\d+)/.exec(info)![1]);
}
