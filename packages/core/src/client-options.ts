import { stringProblem } from './argument-check.js';
import { systemClock, type Clock } from './contract.js';
import { TokenError } from './token-error.js';
import { refuseUnknownOptions } from './unknown-options.js';

/** The options every vendor client takes. */
export interface ClientOptions {
  /** The client id (app id) the vendor issued. */
  clientId: string;
  /** The vendor's server; defaults to its documented production server, where it has one. */
  baseUrl?: string;
  /** A `fetch` implementation (for proxies, instrumentation or tests); defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Milliseconds before a token request is abandoned with a `timeout` error. Default 10 000. */
  timeoutMs?: number;
  /** The clock used for expiries; injectable for tests. */
  clock?: Clock;
}

/** Client options after validation, with defaults applied. */
export interface ResolvedClientOptions {
  clientId: string;
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  clock: Clock;
}

/** The options every vendor client takes ({@link ClientOptions}); a vendor adds its own (`clientSecret`, …). */
const COMMON_OPTIONS = ['clientId', 'baseUrl', 'fetch', 'timeoutMs', 'clock'] as const;

/** Default request timeout: long enough for a slow vendor, short enough that a hung socket is noticed. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Validates a vendor client's options when the client is created, so that a typo fails at start-up with a
 * clear `invalid_configuration` error rather than at the first request.
 */
export function resolveClientOptions(
  vendor: string,
  options: ClientOptions | undefined,
  vendorDefaults: { baseUrl?: string; vendorOptions: readonly string[] },
): ResolvedClientOptions {
  const defaults = vendorDefaults;
  const fail = (message: string): never => {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: `create ${vendor} client: ${message}` });
  };
  if (typeof options !== 'object' || options === null) fail('options are required');
  const given = options as ClientOptions;
  refuseUnknownOptions(vendor, given, [...COMMON_OPTIONS, ...defaults.vendorOptions], `create ${vendor} client`);
  requireStringOption(vendor, given.clientId, 'clientId');
  const baseUrl = given.baseUrl ?? defaults.baseUrl;
  if (baseUrl === undefined) {
    fail(`baseUrl is required: ${vendor} documents no production server`);
  }
  if (typeof baseUrl !== 'string') return fail('baseUrl must be a string');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return fail('baseUrl is not an absolute URL (expected e.g. "https://host.example")');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`baseUrl must be http(s), not ${url.protocol}`);
  if (url.username || url.password) fail('baseUrl must not contain credentials');
  if (url.search || url.hash) fail('baseUrl must not contain a query string or fragment');
  const timeoutMs = given.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > 2_147_483_647) {
    fail('timeoutMs must be a positive number of milliseconds');
  }
  if (given.fetch !== undefined && typeof given.fetch !== 'function') fail('fetch must be a function');
  if (given.clock !== undefined && typeof given.clock?.now !== 'function') fail('clock must have a now() method');
  return {
    clientId: given.clientId,
    baseUrl: url.href.replace(/\/+$/, ''),
    fetch: given.fetch ?? globalThis.fetch,
    timeoutMs,
    clock: given.clock ?? systemClock,
  };
}

/**
 * Checks a required string setting when a client or provider is created (client id, client secret, a user
 * provider's subject): a non-empty string without surrounding whitespace, else an `invalid_configuration`
 * `TokenError`. The message names the setting, never its value (it may be a secret).
 *
 * @example
 * requireStringOption('ebaas', options.clientSecret, 'clientSecret');
 * // TokenError invalid_configuration: "create ebaas client: clientSecret is required"
 */
export function requireStringOption(vendor: string, value: unknown, name: string): asserts value is string {
  const problem = stringProblem(value);
  if (problem !== undefined) {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: `create ${vendor} client: ${name} ${problem}` });
  }
}

/** Per-call options of a vendor client's token calls. */
export interface RequestOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}
