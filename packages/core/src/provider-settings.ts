import { requireStringOption, type ResolvedClientOptions } from './client-options.js';
import type { TokenSet } from './contract.js';
import { createTokenProvider, type TokenProvider, type TokenProviderOptions } from './token-provider.js';

/**
 * What a caller may set on a vendor client's `tokenProvider()` / `userTokenProvider()`: everything of
 * {@link TokenProviderOptions} except what the client itself supplies (its token calls, key and base URL).
 */
export type ProviderSettings = Omit<TokenProviderOptions, 'key' | 'vendor' | 'requestToken' | 'refresh' | 'initial' | 'baseUrl'>;

/**
 * The store key of a vendor client's token: vendor, server host and client id, plus `user:<subject>` for a
 * user's token. The host keeps a test and a production app with one client id apart in a shared Redis.
 */
export function providerKey(vendor: string, baseUrl: string, clientId: string, subject?: string): string {
  const key = `${vendor}:${new URL(baseUrl).host}:${clientId}`;
  return subject === undefined ? key : `${key}:user:${subject}`;
}

/** What a caller sets on an authorization-code vendor's `userTokenProvider()`: one user's tokens. */
export interface UserProviderSettings<Raw = unknown> extends ProviderSettings {
  /** Whose tokens these are (your user id): part of the store key, so each user has their own. Not a secret. */
  subject: string;
  /** The token set from `exchangeCode`, used when the store has none for this user yet. */
  initial?: TokenSet<Raw>;
}

/** The vendor client a provider is built for: its vendor name and its resolved options (server, client id, clock). */
export interface ProviderClient {
  /** The vendor, for errors and the store key. */
  vendor: string;
  /** The client's options after `resolveClientOptions`. */
  options: Pick<ResolvedClientOptions, 'baseUrl' | 'clientId' | 'clock' | 'timeoutMs'>;
}

/** How a client's own token is obtained, for {@link createClientTokenProvider}. */
export interface ClientTokenSources<Raw = unknown> {
  /** Gets a new token with the client's credentials. */
  requestToken: (signal: AbortSignal) => Promise<TokenSet<Raw>>;
  /** Trades a refresh token for a new token set, for vendors that issue refresh tokens with client credentials. */
  refresh?: (refreshToken: string, signal: AbortSignal) => Promise<TokenSet<Raw>>;
  /** The store key, when the vendor needs more in it than {@link providerKey}'s vendor, host and client id. */
  key?: string;
}

/**
 * A vendor client's `tokenProvider()`: the provider of the client's own (client-credentials) token, stored
 * under {@link providerKey} and sent by `bearerAuth` to the client's server only. The caller's `settings`
 * may replace the client's clock but never its key, vendor, server or token calls.
 */
export function createClientTokenProvider<Raw>(
  client: ProviderClient,
  sources: ClientTokenSources<Raw>,
  settings: ProviderSettings = {},
): TokenProvider<Raw> {
  const { vendor, options } = client;
  return createTokenProvider<Raw>({
    clock: options.clock,
    leaseMs: leaseFor(options.timeoutMs),
    ...settings,
    key: sources.key ?? providerKey(vendor, options.baseUrl, options.clientId),
    vendor,
    baseUrl: options.baseUrl,
    requestToken: sources.requestToken,
    ...(sources.refresh === undefined ? {} : { refresh: sources.refresh }),
  });
}

/**
 * An authorization-code vendor client's `userTokenProvider()`: one user's tokens, stored under
 * {@link providerKey} with the user's `subject`, started from `settings.initial` and kept fresh with
 * `refresh`. There is no client-credentials fallback: a user's token must never be replaced by one that acts
 * with other rights. A missing or blank `subject` is an `invalid_configuration` error.
 */
export function createUserTokenProvider<Raw>(
  client: ProviderClient,
  refresh: (refreshToken: string, signal: AbortSignal) => Promise<TokenSet<Raw>>,
  settings: UserProviderSettings<Raw>,
): TokenProvider<Raw> {
  const { vendor, options } = client;
  const { subject, initial, ...rest } = (settings ?? {}) as UserProviderSettings<Raw>;
  requireStringOption(vendor, subject, 'userTokenProvider subject');
  return createTokenProvider<Raw>({
    clock: options.clock,
    leaseMs: leaseFor(options.timeoutMs),
    ...rest,
    key: providerKey(vendor, options.baseUrl, options.clientId, subject),
    vendor,
    baseUrl: options.baseUrl,
    ...(initial === undefined ? {} : { initial }),
    refresh,
  });
}

/**
 * The refresh lease for a client with this request timeout: it must outlive the holder's work — a refresh and,
 * when the refresh token is refused, a second request with the client credentials — or another process could
 * take over mid-request and spend the same refresh token. At least the provider's 30-second default.
 */
function leaseFor(timeoutMs: number): number {
  return Math.max(30_000, 2 * timeoutMs + 5_000);
}
