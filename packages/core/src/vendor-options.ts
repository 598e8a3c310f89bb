import { systemClock, type Clock } from './contract.js';
import { TokenError } from './token-error.js';

/** The options every vendor client takes; a vendor's definition adds its own (`clientSecret`, `scope`, …). */
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

/** Per-call options of a vendor client's token calls. */
export interface RequestOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * One option of a vendor client, as its definition states it: the type and check core applies when the client
 * is created (and, for an option a call may override, when the call is made), whether it is a secret (never in
 * the client's inspect/JSON view; refused written literally in the service's config), and the doc the option
 * tables show.
 */
export interface OptionSpec {
  type: 'string' | 'number' | 'boolean';
  /** What the option is for, one sentence: the docs' option table and the service's messages show it. */
  doc: string;
  required?: boolean;
  secret?: boolean;
  /** The value when none is given. */
  default?: string | number | boolean;
  /** The values allowed, for a string naming one of a few things. */
  values?: readonly string[];
  /** A vendor's own rule beyond the type: what is wrong (`must be a positive whole number of seconds`), or undefined. */
  check?: (value: never) => string | undefined;
}

/**
 * Where a vendor's server is: `{ default }`, its documented production server; `{ required: true }`, no server is
 * documented; `{ environments }`, the servers its document names (`{ test: 'https://…' }`), picked with the
 * `environment` option — required unless `default` names one. Never a silent default to a test host.
 */
export type BaseUrlPolicy = { default: string } | { required: true } | { environments: Readonly<Record<string, string>>; default?: string };

/** The run-time value of an option of this spec. */
type ValueOf<S extends OptionSpec> = S['values'] extends readonly (infer V)[] ? V : { string: string; number: number; boolean: boolean }[S['type']];
type Required<O> = { [K in keyof O]: O[K] extends { required: true } ? K : never }[keyof O];

/** A vendor's own options as a caller passes them, from its definition's option specs. */
export type VendorOptionValues<O extends Record<string, OptionSpec>> = { [K in Required<O>]: ValueOf<O[K]> } & {
  [K in Exclude<keyof O, Required<O>>]?: ValueOf<O[K]>;
};

/**
 * The base-URL options a caller passes, by the vendor's policy. With named environments and no default, one of
 * `baseUrl` and `environment` is required; core checks that when the client is created (a union type here would
 * make `Partial<…>` option objects, common in tests and wrappers, unusable).
 */
export type BaseUrlOptions<P> = P extends { environments: infer E }
  ? { baseUrl?: string; environment?: keyof E & string }
  : P extends { required: true }
    ? { baseUrl: string }
    : { baseUrl?: string };

/** The options every client has, as the service's config and the docs see them (`fetch` and `clock` are code, not config). */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  clientId: { type: 'string', required: true, doc: 'The client id (app id) the vendor issued.' },
  baseUrl: { type: 'string', doc: "The vendor's server." },
  timeoutMs: { type: 'number', doc: 'Milliseconds before a token request is abandoned with a `timeout` error.', default: 10_000 },
};

/** Default request timeout: long enough for a slow vendor, short enough that a hung socket is noticed. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** Client options after validation, with defaults applied; the vendor's own options under their names. */
export interface ResolvedOptions {
  clientId: string;
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  clock: Clock;
  [vendorOption: string]: unknown;
}

/**
 * What is wrong with a value that must be a non-empty string without surrounding whitespace (`is required`,
 * `must be a string`, …), or `undefined` when nothing is. Never quotes the value: it may be a secret. The one
 * place that decides this, for options (`invalid_configuration`) and call arguments (`invalid_request`).
 */
export function stringProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is required';
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.trim() !== value) return 'has leading or trailing whitespace (a copy-paste slip?)';
  return undefined;
}

/**
 * Rejects a missing, non-string, empty or whitespace-padded call argument (an authorization code, a refresh
 * token) with an `invalid_request` `TokenError` before anything is sent: the vendor would answer a bare 400 that
 * says nothing about why. The message names the argument and the call (`wps exchangeCode: code must not be
 * empty; nothing was sent.`), never its value.
 */
export function requireArgument(vendor: string, value: unknown, name: string, where: string): asserts value is string {
  const problem = stringProblem(value);
  if (problem === undefined) return;
  throw new TokenError({ code: 'invalid_request', vendor, retryable: false, message: `${vendor} ${where}: ${name} ${problem}; nothing was sent.` });
}

/** What is wrong with `value` for `spec` (`must be a number`, the vendor's own check), or undefined. */
export function optionProblem(spec: OptionSpec, value: unknown): string | undefined {
  if (spec.type === 'string') {
    const problem = stringProblem(value);
    if (problem !== undefined) return problem;
    if (spec.values && !spec.values.includes(value as string)) return `must be one of ${spec.values.map((v) => `"${v}"`).join(', ')}`;
  } else if (typeof value !== spec.type || (spec.type === 'number' && !Number.isFinite(value))) {
    return `must be a ${spec.type}`;
  }
  return spec.check?.(value as never);
}

/**
 * Validates a vendor client's options when the client is created, so that a typo fails at start-up with a clear
 * `invalid_configuration` error rather than at the first request: unknown keys (with the likely one meant), the
 * common options, the base-URL policy, then the vendor's own options in the order its definition states them.
 */
export function resolveOptions(
  vendor: string,
  given: unknown,
  policy: BaseUrlPolicy,
  own: Readonly<Record<string, OptionSpec>>,
): ResolvedOptions {
  const where = `create ${vendor} client`;
  const fail = (message: string): never => {
    throw new TokenError({ code: 'invalid_configuration', vendor, message: `${where}: ${message}` });
  };
  if (typeof given !== 'object' || given === null) fail('options are required');
  const options = given as Record<string, unknown>;
  const environments = 'environments' in policy ? policy.environments : undefined;
  const known = ['clientId', 'baseUrl', ...(environments ? ['environment'] : []), 'fetch', 'timeoutMs', 'clock', ...Object.keys(own)];
  refuseUnknownOptions(vendor, options, known, where);
  const idProblem = stringProblem(options.clientId);
  if (idProblem) fail(`clientId ${idProblem}`);
  const url = new URL(baseUrlOf(vendor, options, policy, environments, fail));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`baseUrl must be http(s), not ${url.protocol}`);
  if (url.username || url.password) fail('baseUrl must not contain credentials');
  if (url.search || url.hash) fail('baseUrl must not contain a query string or fragment');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > 2_147_483_647) {
    fail('timeoutMs must be a positive number of milliseconds');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') fail('fetch must be a function');
  const clock = options.clock as Clock | undefined;
  if (clock !== undefined && typeof clock?.now !== 'function') fail('clock must have a now() method');
  const resolved: ResolvedOptions = {
    clientId: options.clientId as string,
    baseUrl: url.href.replace(/\/+$/, ''),
    fetch: (options.fetch as typeof fetch | undefined) ?? globalThis.fetch,
    timeoutMs: timeoutMs as number,
    clock: clock ?? systemClock,
  };
  for (const [name, spec] of Object.entries(own)) {
    const value = options[name] ?? spec.default;
    if (value === undefined && !spec.required) continue;
    const problem = optionProblem(spec, value);
    if (problem) fail(`${name} ${problem}`);
    resolved[name] = value;
  }
  return resolved;
}

/** The base URL the options and the policy give, before its shape is checked. */
function baseUrlOf(
  vendor: string,
  options: Record<string, unknown>,
  policy: BaseUrlPolicy,
  environments: Readonly<Record<string, string>> | undefined,
  fail: (message: string) => never,
): string {
  const { baseUrl, environment } = options;
  if (baseUrl !== undefined && environment !== undefined) fail('give baseUrl or environment, not both');
  if (environment !== undefined) {
    if (typeof environment !== 'string' || !Object.hasOwn(environments!, environment)) {
      fail(`environment must be one of ${Object.keys(environments!).map((name) => `"${name}"`).join(', ')}`);
    }
    return environments![environment as string]!;
  }
  if (baseUrl === undefined) {
    if ('default' in policy && policy.default !== undefined) return environments?.[policy.default] ?? policy.default;
    const named = environments ? ` (or environment: ${Object.keys(environments).map((name) => `"${name}"`).join(' | ')} for a server its document names)` : '';
    fail(`baseUrl is required: ${vendor} documents no production server${named}`);
  }
  if (typeof baseUrl !== 'string') fail('baseUrl must be a string');
  try {
    new URL(baseUrl as string);
  } catch {
    fail('baseUrl is not an absolute URL (expected e.g. "https://host.example")');
  }
  return baseUrl as string;
}

/**
 * Refuses an options object with a key the client does not know, naming the key and the known option it most
 * likely meant (`baseURL` → `baseUrl`): in plain JavaScript a misspelt `baseUrl` would otherwise send the
 * credentials to the default host. Names keys only, never values.
 */
function refuseUnknownOptions(vendor: string, given: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue;
    const likely = nearest(key, known);
    throw new TokenError({
      code: 'invalid_configuration',
      vendor,
      message: `${where}: unknown option "${safeKey(key)}"${likely ? `; did you mean "${likely}"?` : ''} Known options: ${known.join(', ')}.`,
    });
  }
}

/** The known option closest to `key`: the same but for case, else within two edits (Levenshtein). */
function nearest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((name) => name.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const b = name.toLowerCase();
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= lower.length; i++) {
      const current = [i];
      for (let j = 1; j <= b.length; j++) {
        current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (lower[i - 1] === b[j - 1] ? 0 : 1));
      }
      previous = current;
    }
    if (previous[b.length]! < bestDistance) [best, bestDistance] = [name, previous[b.length]!];
  }
  return best;
}

/** A key as it may be shown: printable and short (a key is not a secret, but it may be garbage). */
function safeKey(key: string): string {
  const printable = key.replace(/[^\x20-\x7E]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}
