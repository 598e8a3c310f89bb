/** Where the service listens. */
export interface ListenConfig {
  /** Default `127.0.0.1`: a token service is reachable from elsewhere only when the operator says so. */
  host: string;
  /** Default 8787. `0` picks a free port (tests). */
  port: number;
}

/** Where tokens are kept: this process only, or one Redis shared by every replica. */
export type StoreConfig =
  | { type: 'memory' }
  | {
      type: 'redis';
      /** `redis://[user:password@]host:port[/db]`; usually `${REDIS_URL}`. */
      url: string;
      /** Put in front of every key. Default `token-clients:`. */
      keyPrefix?: string;
      /** A 32-byte AES key (base64 or hex): tokens are encrypted at rest in Redis. */
      encryptionKey?: string;
    };

/** One app: a vendor and its client's options (secrets resolved from the environment). */
export interface AppConfig {
  /** `dushu`, `ebaas`, `akubela`, `wps` or `fantem`. */
  vendor: string;
  /** The options of the vendor's client factory (`clientId`, `clientSecret`, `baseUrl`, …). */
  options: Record<string, unknown>;
  /** Settings of the app's providers (`refreshWindowMs`, `leaseMs`, `dailyBudget`, …), as core's `ProviderSettings`. */
  provider?: Record<string, number | string>;
}

/** One caller: a key, and the apps it may read. */
export interface CallerConfig {
  /** The caller's name, for logs and metrics (not a secret). */
  name: string;
  /** The caller's key, sent as `Authorization: Bearer <key>`. Never logged. */
  key: string;
  /** The names of the apps this caller may read. */
  apps: string[];
}

/** Limits that protect the service from slow or greedy clients. */
export interface LimitsConfig {
  /** Largest request body accepted, bytes. Default 16 KiB: the service's requests are a few hundred bytes. */
  bodyLimitBytes: number;
  /** A request (headers and body) must arrive within this long, ms. Default 10 000. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long, ms. Default 5 000. */
  keepAliveTimeoutMs: number;
  /** On SIGTERM, in-flight requests get this long to finish before connections are cut, ms. Default 10 000. */
  shutdownGraceMs: number;
}

/** The service's whole configuration, validated, with defaults applied and `${ENV}` references resolved. */
export interface ServiceConfig {
  listen: ListenConfig;
  store: StoreConfig;
  apps: Record<string, AppConfig>;
  callers: CallerConfig[];
  limits: LimitsConfig;
  /** `fatal` … `trace`, or `silent`. Default `info`. */
  logLevel: string;
}
