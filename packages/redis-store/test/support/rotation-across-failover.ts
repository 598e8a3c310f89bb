import type { TokenProviderEvent } from '@token-clients/core';
import { createAkubelaClient } from '@token-clients/akubela';
import { startAkubelaFake } from '@token-clients/testkit';
import { RedisStore, type RedisClient, type RedisStoreEvent, type WaitForReplicas } from '../../src/index.js';
import { uniquePrefix } from './clients.js';
import { until } from './redis-sentinel.js';

/** A connected client to a replicated Redis (Sentinel or Cluster), as a process of the fleet holds it. */
export interface FailoverClient {
  readonly client: RedisClient;
  /** Resolves once the client answers again for `redisKey`, talking to a primary. */
  ready(redisKey: string): Promise<void>;
  close(): Promise<void>;
}

/** What happened to the refresh tokens across the failover. */
export interface RotationOutcome {
  /** Requests the akubela fake received with a refresh token it had already accepted once. */
  spentRefreshTokensSent: number;
  /** Client-credentials grants: 1 is the first token; each more is a fallback after a refused refresh token. */
  clientCredentialsGrants: number;
  /** Successful refreshes with a refresh token. */
  refreshGrants: number;
  /** Failed `getToken()` calls. */
  errors: string[];
  storeEvents: RedisStoreEvent['type'][];
  providerEvents: TokenProviderEvent['type'][];
}

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);

/**
 * Two processes (providers with their own Redis clients and stores) share akubela tokens, whose refresh tokens
 * rotate: each works once. Process A refreshes — the vendor spends the old refresh token and issues a new one,
 * which A commits to Redis — and then the primary fails over. Then process B needs a token, and an hour later
 * both do. The outcome says whether a spent refresh token was ever sent.
 *
 * `aroundRefresh` runs just before A's refresh (to make replication lag) and `failOver` kills the primary right
 * after A's refresh has returned and waits for the promotion.
 */
export async function rotateAcrossFailover(options: {
  connect: () => Promise<FailoverClient>;
  inSync: () => Promise<void>;
  beforeRefresh?: () => void;
  /** Kills the primary that holds `redisKey` and waits until a replica has taken over. */
  failOver: (redisKey: string) => Promise<void>;
  waitForReplicas?: WaitForReplicas;
}): Promise<RotationOutcome> {
  let now = T0;
  const clock = { now: () => now };
  const akubela = await startAkubelaFake({ now: clock.now });
  const clients: FailoverClient[] = [];
  const errors: string[] = [];
  const storeEvents: RotationOutcome['storeEvents'] = [];
  const providerEvents: RotationOutcome['providerEvents'] = [];
  const keyPrefix = uniquePrefix();
  try {
    clients.push(await options.connect(), await options.connect());
    const stores = clients.map(
      ({ client }) => new RedisStore({ client, keyPrefix, waitForReplicas: options.waitForReplicas, onEvent: (event) => storeEvents.push(event.type) }),
    );
    const [a, b] = stores.map((store) => {
      const vendor = createAkubelaClient({ clientId: akubela.clientId, clientSecret: akubela.clientSecret, baseUrl: akubela.url, clock });
      return vendor.tokenProvider({ store, clock, onEvent: (event) => providerEvents.push(event.type) });
    });
    const get = (provider: typeof a) => provider!.getToken().catch((error: Error) => void errors.push(error.message));
    try {
      await get(a); // the first token and refresh token, by client credentials
      await options.inSync();
      now += HOUR; // expired: the next call refreshes
      options.beforeRefresh?.();
      await get(a);
      const redisKey = `${keyPrefix}{${a!.key}}:token`;
      await options.failOver(redisKey);
      await Promise.all(clients.map((client) => client.ready(redisKey)));
      now += 6_000; // past the provider's short re-check of a token it could not save
      const held = await get(a);
      // A serves its valid token at once and re-validates in the background, where it writes again a token the
      // store did not confirm (waitForReplicas timed out). B needs a token after that write: wait for it
      // (bounded), rather than race it.
      if (held && storeEvents.includes('replication_lag')) await until('A writing its token again', async () => (await stores[0]!.get(a!.key))?.token.accessToken === held.accessToken, 10_000);
      await get(b);
      now += HOUR;
      await Promise.all([get(a), get(b)]);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
    return {
      spentRefreshTokensSent: akubela.spentRefreshTokenUses,
      clientCredentialsGrants: akubela.grants.client_credentials,
      refreshGrants: akubela.grants.refresh_token,
      errors,
      storeEvents,
      providerEvents,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await akubela.close();
  }
}
