import { systemClock, type Clock } from './clock.js';
import { boundedStore } from './bounded-store.js';
import { MemoryStore } from './memory-store.js';
import { ProviderReporter } from './provider-reporter.js';
import { DEFAULT_REFRESH_POLICY, type RefreshPolicy } from './refresh-policy.js';
import { StoreHealth } from './store-health.js';
import { TokenError } from './token-error.js';
import type { TokenProviderOptions } from './token-provider-types.js';
import type { TokenStore } from './token-store.js';

/**
 * What every part of one provider shares: who it is (key, vendor), what it follows (policy, lease), what it
 * talks to (store, clock), where it reports, and whether it has been closed. Built once, from the options.
 */
export interface ProviderContext {
  /** The store key (names the credential; not a secret). */
  readonly key: string;
  /** The vendor's name, or `core`: for errors and reports. */
  readonly vendor: string;
  /** The refresh policy, defaults filled in. */
  readonly policy: Readonly<RefreshPolicy>;
  /** The store, every call bounded (see `bounded-store.ts`). */
  readonly store: TokenStore;
  /** The clock everything is measured on. */
  readonly clock: Clock;
  /** The source of jitter. */
  readonly random: () => number;
  /** How long a refresh lease lasts. */
  readonly leaseMs: number;
  /** Aborted by `close()`: every token call gets it, and every wait is abandoned with it. */
  readonly closing: AbortSignal;
  /** Where the provider reports (events, channels, logger). */
  readonly report: ProviderReporter;
  /** Whether the store answers; shared by every part that calls it. */
  readonly health: StoreHealth;
}

/** The default refresh lease: longer than a token request may take (10 s by default). */
const DEFAULT_LEASE_MS = 30_000;
/**
 * The default bound on one store call: 5 seconds, longer than a healthy Redis ever takes (and than
 * redis-store's command timeouts), short enough that a hung store costs a cold caller seconds, not for ever.
 */
const DEFAULT_STORE_TIMEOUT_MS = 5_000;

/** Checks the options a provider is made from and resolves their defaults; a bad option is `invalid_configuration`. */
export function providerContext(options: TokenProviderOptions<never>, vendor: string, closing: AbortSignal): ProviderContext {
  const policy: RefreshPolicy = { ...DEFAULT_REFRESH_POLICY };
  for (const name of Object.keys(DEFAULT_REFRESH_POLICY) as (keyof RefreshPolicy)[]) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new TokenError({ code: 'invalid_configuration', vendor, message: `createTokenProvider: ${name} must be a number ≥ 0` });
    }
    policy[name] = value;
  }
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  if (!(leaseMs > 0) || !Number.isFinite(leaseMs)) {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: leaseMs must be a positive number' });
  }
  const logger = options.logger;
  if (logger !== undefined && !(['debug', 'info', 'warn', 'error'] as const).every((level) => typeof logger?.[level] === 'function')) {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: logger must have debug, info, warn and error methods (console and pino do)' });
  }
  const report = new ProviderReporter(options.key, vendor, options.onEvent, logger);
  const storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  if (!(storeTimeoutMs > 0) || !Number.isFinite(storeTimeoutMs)) {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: 'createTokenProvider: storeTimeoutMs must be a positive number' });
  }
  return {
    key: options.key,
    vendor,
    policy,
    store: boundedStore(options.store ?? new MemoryStore(), storeTimeoutMs),
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    leaseMs,
    closing,
    report,
    health: new StoreHealth(report),
  };
}

/** Throws the `closed` error once the provider has been closed. */
export function assertOpen(context: ProviderContext): void {
  if (context.closing.aborted) throw closedError(context);
}

/** What every call to a closed provider fails with. */
export function closedError(context: Pick<ProviderContext, 'key' | 'vendor'>): TokenError {
  return new TokenError({ code: 'closed', vendor: context.vendor, message: `The token provider for "${context.key}" is closed.` });
}
