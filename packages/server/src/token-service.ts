import type { FastifyInstance } from 'fastify';
import type { ServiceConfig } from './config/service-config.js';
import { CallerKeys } from './http/caller-keys.js';
import { createHttpApp } from './http/http-app.js';
import { createServiceMetrics } from './metrics/service-metrics.js';
import { TokenApps } from './token-apps.js';
import { openStore } from './token-store.js';

/** Options of {@link startTokenService} beyond the config. */
export interface TokenServiceOptions {
  /** Where the JSON log lines go; default stdout. */
  logStream?: NodeJS.WritableStream;
  /** The clock of `expires_in`; default `Date.now`. */
  now?: () => number;
}

/** A running token service. */
export interface TokenService {
  /** `http://host:port` it listens on. */
  readonly url: string;
  /** The fastify app (for tests and embedding). */
  readonly http: FastifyInstance;
  /**
   * Stops gracefully: no new requests (503), in-flight answers finish, then providers close (releasing
   * their refresh leases) and the store disconnects. After `graceMs`, remaining connections are cut.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts the central token service from a validated config: every app's provider on one shared store, the
 * HTTP API, `/metrics` on core's diagnostics channels.
 */
export async function startTokenService(config: ServiceConfig, options: TokenServiceOptions = {}): Promise<TokenService> {
  const now = options.now ?? Date.now;
  let http: FastifyInstance | undefined;
  let redisDown = false;
  const store = await openStore(config.store, (error) => {
    // Logged once per outage, not once per reconnect attempt; the message names no password (node-redis's never does).
    if (redisDown) return;
    redisDown = true;
    http?.log.warn({ err: { message: error.message } }, 'Redis unreachable: serving from this replica until it is back');
  });
  // Providers log refreshes, failures, store and quota changes through the service's own logger (redacted,
  // scrubbed of every configured secret); it exists once the HTTP app does, so it is reached lazily.
  const logger = {
    error: (...args: unknown[]) => http?.log.error(...(args as [object, string])),
    warn: (...args: unknown[]) => http?.log.warn(...(args as [object, string])),
    info: (...args: unknown[]) => http?.log.info(...(args as [object, string])),
    debug: (...args: unknown[]) => http?.log.debug(...(args as [object, string])),
  };
  const apps = new TokenApps(config.apps, store.store, now, { logger });
  const metrics = createServiceMetrics((key) => apps.appOfKey(key));
  http = createHttpApp({
    apps,
    callers: new CallerKeys(config.callers),
    metrics,
    now,
    shutdown: { closing: false },
    store,
    limits: config.limits,
    logLevel: config.logLevel,
    secrets: configuredSecrets(config),
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  const server = http;
  try {
    await server.listen({ host: config.listen.host, port: config.listen.port });
  } catch (error) {
    await Promise.all([apps.close(), store.close()]);
    metrics.close();
    throw error;
  }
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.listen.port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  server.log.info({ url: `http://${host}:${port}`, apps: Object.keys(config.apps), store: config.store.type }, 'token service listening');

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    http: server,
    close(graceMs = config.limits.shutdownGraceMs) {
      closing ??= (async () => {
        const cut = setTimeout(() => server.server.closeAllConnections(), graceMs);
        cut.unref();
        try {
          await server.close();
        } finally {
          clearTimeout(cut);
          await apps.close();
          await store.close();
          metrics.close();
        }
      })();
      return closing;
    },
  };
}

/** Every secret of the config, to be scrubbed from logs. */
export function configuredSecrets(config: ServiceConfig): string[] {
  const secrets = config.callers.map((caller) => caller.key);
  for (const app of Object.values(config.apps)) {
    if (typeof app.options.clientSecret === 'string') secrets.push(app.options.clientSecret);
  }
  if (config.store.type === 'redis') {
    const url = new URL(config.store.url);
    if (url.password) secrets.push(decodeURIComponent(url.password), url.password);
    if (config.store.encryptionKey) secrets.push(config.store.encryptionKey);
  }
  return secrets;
}
