/** One process of the fleet benchmark: a dushu provider on the shared Redis store, driven over IPC by fleet.ts. */
import { createHash } from 'node:crypto';
import { createDushuClient } from '@token-clients/dushu';
import { RedisStore } from '@token-clients/redis-store';
import { connectRedis } from './redis-server.js';

export interface FleetWorkerOptions {
  fakeUrl: string;
  clientId: string;
  clientSecret: string;
  redisUrl: string;
  keyPrefix: string;
}

/** `token` is a fingerprint of the access token, so the parent can tell how many different tokens were served. */
export type FleetWorkerAnswer = { token: string; expiresAt: number } | { error: string };

const options = JSON.parse(process.argv[2]!) as FleetWorkerOptions;
const redis = await connectRedis(options.redisUrl);
const store = new RedisStore({ client: redis.client as never, keyPrefix: options.keyPrefix });
const provider = createDushuClient({ clientId: options.clientId, clientSecret: options.clientSecret, baseUrl: options.fakeUrl }).tokenProvider({ store });

process.on('message', (message) => {
  if (message !== 'get') return;
  provider.getToken().then(
    (token) => {
      const fingerprint = createHash('sha256').update(token.accessToken).digest('hex').slice(0, 16);
      process.send!({ token: fingerprint, expiresAt: token.expiresAt } satisfies FleetWorkerAnswer);
    },
    (error: unknown) => process.send!({ error: String(error) } satisfies FleetWorkerAnswer),
  );
});
process.on('disconnect', () => {
  void provider
    .close()
    .then(() => redis.disconnect())
    .finally(() => process.exit(0));
});
process.send!('ready');
