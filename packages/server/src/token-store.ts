import { MemoryStore, TokenError, type TokenStore } from '@token-clients/core';
import { RedisStore } from '@token-clients/redis-store';
import { createClient } from 'redis';
import type { StoreConfig } from './config/service-config.js';
import { SERVICE } from './config/config-problem.js';

/** The store every provider of the service shares, and what `/readyz` asks of it. */
export interface ServiceStore {
  readonly store: TokenStore;
  /** `memory`, or `redis`. */
  readonly type: StoreConfig['type'];
  /** Whether the store answers now (Redis: a PING within a second). Never throws. */
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** How long a start waits for Redis before serving anyway: providers work per process until it is back. */
const CONNECT_WAIT_MS = 3_000;
const PING_TIMEOUT_MS = 1_000;

/**
 * Opens the configured store. A Redis that is down at start does not stop the service: it starts, serves
 * tokens from each replica's own single flight, says so on `/readyz`, and the client reconnects by itself.
 */
export async function openStore(config: StoreConfig, onRedisError: (error: Error) => void): Promise<ServiceStore> {
  if (config.type === 'memory') {
    return { store: new MemoryStore(), type: 'memory', reachable: async () => true, close: async () => {} };
  }
  const client = createClient({
    url: config.url,
    // Reconnect forever, at most every 2 s: an outage must end by itself, without a restart.
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000), connectTimeout: 2_000 },
    // Commands fail at once while disconnected instead of queueing: the provider falls back to its own flight.
    disableOfflineQueue: true,
  });
  // node-redis emits every connection failure as an 'error' event; without a listener it would crash us.
  client.on('error', (error: Error) => onRedisError(error));
  const connected = client.connect().then(
    () => true,
    () => false,
  );
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, CONNECT_WAIT_MS).unref())]);
  let store: RedisStore;
  try {
    store = new RedisStore({
      client,
      ...(config.keyPrefix === undefined ? {} : { keyPrefix: config.keyPrefix }),
      ...(config.encryptionKey === undefined ? {} : { encryptionKey: config.encryptionKey }),
    });
  } catch (error) {
    client.destroy();
    throw error instanceof TokenError ? error : new TokenError({ code: 'invalid_configuration', vendor: SERVICE, message: 'config store: the Redis store refused its options' });
  }
  return {
    store,
    type: 'redis',
    async reachable() {
      if (!client.isReady) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
      });
      try {
        return await Promise.race([client.ping().then((answer) => answer === 'PONG', () => false), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      // A client still trying to connect has nothing to flush: destroy it rather than wait for Redis.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}
