import { VENDORS } from '../vendors.js';
import { configProblem } from './config-problem.js';
import { resolveEnvReferences } from './env-references.js';
import type { AppConfig, CallerConfig, LimitsConfig, ServiceConfig, StoreConfig } from './service-config.js';

/** How the file that held the config may be read, for the rule on literal secrets. */
export interface ConfigSource {
  /** The file's name, for messages. */
  file: string;
  /** Whether only its owner can read it (mode `0600` or stricter). */
  ownerOnly: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Shorter keys can be guessed; 32 characters of base64 are 192 bits. */
const MIN_CALLER_KEY_LENGTH = 32;

const DEFAULT_LIMITS: LimitsConfig = { bodyLimitBytes: 16 * 1024, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, shutdownGraceMs: 10_000 };

/**
 * Checks a parsed config file and turns it into a {@link ServiceConfig}. The first mistake found is thrown
 * as an `invalid_configuration` `TokenError` whose message starts with the path of the bad field
 * (`apps.reading.vendor: …`). Unknown fields are mistakes too: a misspelt option must not be silently ignored.
 */
export function validateConfig(raw: unknown, source: ConfigSource, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const reader = new FieldReader(source, env);
  const root = reader.object(raw, '(root)');
  reader.onlyKnown(root, '', ['listen', 'store', 'apps', 'callers', 'limits', 'log']);

  const listenRaw = root.listen === undefined ? {} : reader.object(root.listen, 'listen');
  reader.onlyKnown(listenRaw, 'listen.', ['host', 'port']);
  const listen = {
    host: listenRaw.host === undefined ? '127.0.0.1' : reader.string(listenRaw.host, 'listen.host'),
    port: listenRaw.port === undefined ? 8787 : reader.integer(listenRaw.port, 'listen.port', 0, 65_535),
  };

  const store = readStore(reader, root.store);
  const apps = readApps(reader, root.apps);
  const callers = readCallers(reader, root.callers, apps);
  const limits = readLimits(reader, root.limits);

  const logRaw = root.log === undefined ? {} : reader.object(root.log, 'log');
  reader.onlyKnown(logRaw, 'log.', ['level']);
  const logLevel = logRaw.level === undefined ? 'info' : reader.string(logRaw.level, 'log.level');
  if (!LOG_LEVELS.includes(logLevel)) throw configProblem('log.level', `must be one of ${LOG_LEVELS.join(', ')}`);

  return { listen, store, apps, callers, limits, logLevel };
}

function readStore(reader: FieldReader, raw: unknown): StoreConfig {
  if (raw === undefined) return { type: 'memory' };
  const store = reader.object(raw, 'store');
  const type = reader.string(store.type, 'store.type');
  if (type === 'memory') {
    reader.onlyKnown(store, 'store.', ['type']);
    return { type };
  }
  if (type !== 'redis') throw configProblem('store.type', 'must be "memory" or "redis"');
  reader.onlyKnown(store, 'store.', ['type', 'url', 'keyPrefix', 'encryptionKey']);
  if (store.url === undefined) throw configProblem('store.url', 'is required for a redis store (e.g. "${REDIS_URL}")');
  const url = reader.string(store.url, 'store.url', { secretIf: (value) => /\/\/[^/@]*:[^/@]*@/.test(value) });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configProblem('store.url', 'is not a URL (expected redis://host:port)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw configProblem('store.url', 'must start with redis:// or rediss://');
  return {
    type,
    url,
    ...(store.keyPrefix === undefined ? {} : { keyPrefix: reader.string(store.keyPrefix, 'store.keyPrefix') }),
    ...(store.encryptionKey === undefined ? {} : { encryptionKey: reader.string(store.encryptionKey, 'store.encryptionKey', { secret: true }) }),
  };
}

function readApps(reader: FieldReader, raw: unknown): Record<string, AppConfig> {
  if (raw === undefined) throw configProblem('apps', 'is required: name at least one app (a vendor and its client options)');
  const apps = reader.object(raw, 'apps');
  const names = Object.keys(apps);
  if (names.length === 0) throw configProblem('apps', 'is empty: name at least one app');
  const result: Record<string, AppConfig> = {};
  for (const name of names) {
    const path = `apps.${name}`;
    if (!NAME.test(name)) throw configProblem(path, 'an app name is letters, digits, ".", "_" or "-" (at most 64)');
    const app = reader.object(apps[name], path);
    const vendorName = reader.string(app.vendor, `${path}.vendor`);
    const vendor = Object.hasOwn(VENDORS, vendorName) ? VENDORS[vendorName] : undefined;
    if (vendor === undefined) throw configProblem(`${path}.vendor`, `unknown vendor "${vendorName}" (one of ${Object.keys(VENDORS).join(', ')})`);
    const options: Record<string, unknown> = {};
    const provider = app.provider === undefined ? {} : readProvider(reader, app.provider, `${path}.provider`);
    for (const [option, value] of Object.entries(app)) {
      if (option === 'vendor' || option === 'provider') continue;
      const kind = vendor.options[option];
      const optionPath = `${path}.${option}`;
      if (kind === undefined) throw configProblem(optionPath, `is not an option of ${vendorName} (its options: ${Object.keys(vendor.options).join(', ')})`);
      options[option] =
        kind === 'number' ? reader.number(value, optionPath) : reader.string(value, optionPath, { secret: vendor.secrets.includes(option) });
    }
    for (const option of vendor.required) {
      if (options[option] === undefined) throw configProblem(`${path}.${option}`, `is required for ${vendorName}`);
    }
    // The vendor's own checks (baseUrl shape, timeoutMs range) run now, so a bad app fails at start, with its path.
    try {
      // A provider made and closed at once: core checks the provider settings' ranges.
      void vendor.create(options).tokenProvider?.(provider).close().catch(() => {});
    } catch (error) {
      throw configProblem(path, error instanceof Error ? error.message : 'the vendor client refused these options');
    }
    result[name] = { vendor: vendorName, options, provider };
  }
  return result;
}

/**
 * The provider settings an app may tune (`refreshWindowMs`, `leaseMs`, …; see core's RefreshPolicy). Core
 * checks their ranges; here they must be numbers, and a misspelt one is refused.
 */
const PROVIDER_SETTINGS: Readonly<Record<string, 'number' | 'string'>> = {
  refreshWindowMs: 'number',
  expiryMarginMs: 'number',
  revalidateMs: 'number',
  backoffInitialMs: 'number',
  backoffMaxMs: 'number',
  forcedRefreshIntervalMs: 'number',
  leaseMs: 'number',
  storeTimeoutMs: 'number',
  /** Token requests a day, fleet-wide with Redis (issue 15's quota). */
  dailyBudget: 'number',
  /** Where the quota day begins (`+08:00`, `Asia/Shanghai`). */
  quotaTimeZone: 'string',
};

function readProvider(reader: FieldReader, raw: unknown, path: string): Record<string, number | string> {
  const provider = reader.object(raw, path);
  reader.onlyKnown(provider, `${path}.`, Object.keys(PROVIDER_SETTINGS));
  const result: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(provider)) {
    result[name] = PROVIDER_SETTINGS[name] === 'string' ? reader.string(value, `${path}.${name}`) : reader.number(value, `${path}.${name}`);
  }
  return result;
}

function readCallers(reader: FieldReader, raw: unknown, apps: Record<string, AppConfig>): CallerConfig[] {
  if (raw === undefined) throw configProblem('callers', 'is required: name at least one caller (a key and the apps it may read)');
  const callers = reader.object(raw, 'callers');
  const result: CallerConfig[] = [];
  const keys = new Set<string>();
  for (const name of Object.keys(callers)) {
    const path = `callers.${name}`;
    if (!NAME.test(name)) throw configProblem(path, 'a caller name is letters, digits, ".", "_" or "-" (at most 64)');
    const caller = reader.object(callers[name], path);
    reader.onlyKnown(caller, `${path}.`, ['key', 'apps']);
    if (caller.key === undefined) throw configProblem(`${path}.key`, 'is required (e.g. "${BILLING_KEY}"; make one with `openssl rand -base64 32`)');
    const key = reader.string(caller.key, `${path}.key`, { secret: true });
    if (key.length < MIN_CALLER_KEY_LENGTH) throw configProblem(`${path}.key`, `must be at least ${MIN_CALLER_KEY_LENGTH} characters (openssl rand -base64 32)`);
    if (keys.has(key)) throw configProblem(`${path}.key`, 'is the same as another caller\'s key: give each caller its own');
    keys.add(key);
    if (!Array.isArray(caller.apps)) throw configProblem(`${path}.apps`, 'must be a list of app names');
    const readable = caller.apps.map((app, index) => {
      const appName = reader.string(app, `${path}.apps[${index}]`);
      if (!Object.hasOwn(apps, appName)) throw configProblem(`${path}.apps[${index}]`, `names no app ("${appName}" is not under apps)`);
      return appName;
    });
    result.push({ name, key, apps: readable });
  }
  if (result.length === 0) throw configProblem('callers', 'is empty: name at least one caller');
  return result;
}

function readLimits(reader: FieldReader, raw: unknown): LimitsConfig {
  if (raw === undefined) return { ...DEFAULT_LIMITS };
  const limits = reader.object(raw, 'limits');
  reader.onlyKnown(limits, 'limits.', Object.keys(DEFAULT_LIMITS));
  const result = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof LimitsConfig)[]) {
    if (limits[name] !== undefined) result[name] = reader.integer(limits[name], `limits.${name}`, 1, 2_147_483_647);
  }
  return result;
}

/** Reads typed fields, resolving `${ENV}` references and applying the rule on literal secrets. */
class FieldReader {
  constructor(
    private readonly source: ConfigSource,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw configProblem(path, 'must be an object (a mapping of names to values)');
    return value as Record<string, unknown>;
  }

  onlyKnown(value: Record<string, unknown>, prefix: string, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) throw configProblem(`${prefix}${key}`, `is not a known field (known here: ${known.join(', ')})`);
    }
  }

  string(value: unknown, path: string, secrecy: { secret?: boolean; secretIf?: (value: string) => boolean } = {}): string {
    if (typeof value !== 'string') throw configProblem(path, 'must be a string');
    const resolved = resolveEnvReferences(value, path, this.env);
    if (resolved.value.trim() === '') throw configProblem(path, 'must not be empty');
    const secret = secrecy.secret === true || secrecy.secretIf?.(value) === true;
    if (secret && resolved.literal && !this.source.ownerOnly) {
      throw configProblem(
        path,
        `is a secret written in ${this.source.file}, which others can read: write "\${ENV_NAME}" and set it in the environment, or chmod 600 the file`,
      );
    }
    return resolved.value;
  }

  number(value: unknown, path: string): number {
    const number = typeof value === 'string' ? Number(resolveEnvReferences(value, path, this.env).value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw configProblem(path, 'must be a number');
    return number;
  }

  integer(value: unknown, path: string, min: number, max: number): number {
    const number = this.number(value, path);
    if (!Number.isInteger(number) || number < min || number > max) throw configProblem(path, `must be a whole number from ${min} to ${max}`);
    return number;
  }
}
