export { TokenError, type TokenErrorCode, type TokenErrorOptions } from './token-error.js';
export { TOKEN_ERROR_CODES } from './error-codes.js';
export * from './diagnostics.js';
export type { TokenSet } from './token-set.js';
export { systemClock, type Clock } from './clock.js';

// Building blocks for vendor packages (and for a sixth vendor of your own).
export {
  resolveClientOptions,
  requireStringOption,
  DEFAULT_TIMEOUT_MS,
  type ClientOptions,
  type ResolvedClientOptions,
  type RequestOptions,
} from './client-options.js';
export { requireArgument } from './argument-check.js';
export { keepRefreshToken } from './keep-refresh-token.js';
export { vendorFetch, MAX_RESPONSE_BYTES } from './vendor-fetch.js';
export { formUrlEncoded } from './form-body.js';
export { sendTokenRequest, type TokenEndpointContext, type TokenEndpointResponse, type TextFetchResult } from './token-endpoint.js';
export { redactSecrets } from './scrub-secrets.js';
export { ResponseReader, asJsonObject } from './response-reader.js';
export { vendorError, invalidResponse, describeNonJson, oauthErrorCode, statusErrorCode, type VendorErrorDetails } from './response-error.js';
export { parseSeconds, expiryFromLifetime, serverTimeFromDateHeader, clockOffset, localExpiry } from './expiry.js';
export { withRedactedView } from './redacted-view.js';
export { isLoopbackHost } from './plain-http-warning.js';

// Caching and refreshing.
export { createTokenProvider, type TokenProvider, type TokenProviderOptions, type TokenProviderEvent } from './token-provider.js';
export { DEFAULT_REFRESH_POLICY, tokenState, tokenTimeline, retryDelay, type RefreshPolicy, type TokenState } from './refresh-policy.js';
// The provider's options added by issues 12 and 15 (AbortSignal, logger, daily quota).
export type { GetTokenOptions, TokenLogger } from './token-provider-types.js';
export { MAX_RETRY_AFTER_MS } from './refresh-policy.js';
export { QUOTA_WARNING_SHARE } from './daily-quota.js';
export { DEFAULT_QUOTA_TIME_ZONE } from './quota-day.js';
export type { TokenStore, StoredToken, Lease } from './token-store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { bearerAuth, type BearerAuthMiddleware, type BearerAuthOptions } from './bearer-auth.js';
export {
  providerKey,
  createClientTokenProvider,
  createUserTokenProvider,
  type ProviderSettings,
  type UserProviderSettings,
  type ProviderClient,
  type ClientTokenSources,
} from './provider-settings.js';
