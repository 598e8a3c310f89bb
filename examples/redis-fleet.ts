// Two processes, one token: every process gives its provider the same RedisStore, so the fleet makes one token
// request per token lifetime and shares it (and, for vendors that rotate refresh tokens, never spends one twice).
//
//   REDIS_URL=redis://127.0.0.1:6379 DUSHU_APP_ID=… DUSHU_APP_SECRET=… npx tsx redis-fleet.ts
//
// Run as above, it starts two copies of itself (`… redis-fleet.ts worker`) at the same moment and reports what
// they got; in production each replica is one such worker. DUSHU_BASE_URL is optional (the test points it at the
// testkit fake); TOKEN_ENCRYPTION_KEY (`openssl rand -base64 32`) encrypts the tokens in Redis.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createDushuClient } from '@token-clients/dushu';
import { RedisStore } from '@token-clients/redis-store';
import { createClient } from 'redis';

if (process.argv[2] === 'worker') await worker();
else await startTwoWorkers();

/** One replica: gets the token through Redis, prints a fingerprint of it (never the token), and exits. */
async function worker(): Promise<void> {
  const redis = createClient({ url: fromEnv('REDIS_URL') });
  redis.on('error', (error: Error) => console.error(`redis: ${error.message}`)); // node-redis crashes without a listener
  await redis.connect();
  const tokens = createDushuClient({
    clientId: fromEnv('DUSHU_APP_ID'),
    clientSecret: fromEnv('DUSHU_APP_SECRET'),
    baseUrl: process.env.DUSHU_BASE_URL,
  }).tokenProvider({
    store: new RedisStore({ client: redis, keyPrefix: 'example-app:', encryptionKey: process.env.TOKEN_ENCRYPTION_KEY }),
  });
  try {
    const accessToken = await tokens.getAccessToken();
    const fingerprint = createHash('sha256').update(accessToken).digest('hex').slice(0, 12);
    console.log(JSON.stringify({ pid: process.pid, fingerprint }));
  } finally {
    // The provider stops its timers; the Redis connection is yours to close (the store never closes it).
    await tokens.close();
    await redis.quit();
  }
}

/** Starts two workers at once and says whether they share one token. */
async function startTwoWorkers(): Promise<void> {
  const script = new URL(import.meta.url).pathname;
  const runs = [1, 2].map(async () => {
    // process.execArgv carries the TypeScript loader this file runs under (tsx), so the copy runs the same way.
    const child = spawn(process.execPath, [...process.execArgv, script, 'worker'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`a worker exited with ${code}`);
    return JSON.parse(output.trim()) as { pid: number; fingerprint: string };
  });
  const results = await Promise.all(runs);
  for (const result of results) console.log(`process ${result.pid}: token ${result.fingerprint}…`);
  const shared = new Set(results.map((result) => result.fingerprint)).size === 1;
  console.log(shared ? 'both processes share one token' : 'the processes got different tokens');
  if (!shared) process.exitCode = 1;
}

function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the comment at the top of this file)`);
  return value;
}
