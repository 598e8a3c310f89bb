import type { TokenSet } from './token-set.js';
import type { TokenProviderOptions } from './token-provider.js';

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
