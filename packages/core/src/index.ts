/**
 * `@token-clients/core`: what a caller of token-clients uses. Vendor-building blocks are under
 * `@token-clients/core/vendor-kit`; this root is pinned by test/root-exports.test.ts.
 */
export { TokenError, type TokenErrorCode, type TokenErrorOptions } from './token-error.js';
export { TOKEN_ERROR_CODES } from './error-codes.js';
export type { TokenSet } from './token-set.js';

// Caching and refreshing.
export { createTokenProvider, type TokenProvider, type TokenProviderOptions, type TokenProviderEvent } from './token-provider.js';
export type { GetTokenOptions, TokenLogger } from './token-provider-types.js';
export type { RefreshPolicy } from './refresh-policy.js';
export { MAX_RETRY_AFTER_MS } from './refresh-policy.js';
export { QUOTA_WARNING_SHARE } from './daily-quota.js';
export { DEFAULT_QUOTA_TIME_ZONE } from './quota-day.js';
export type { ProviderSettings, UserProviderSettings } from './define-vendor.js';
export type { ClientOptions, RequestOptions } from './vendor-options.js';
export type { Clock } from './clock.js';

// Stores.
export type { TokenStore, StoredToken, Lease } from './token-store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';

// Calling an API with the token.
export { bearerAuth, type BearerAuthMiddleware, type BearerAuthOptions } from './bearer-auth.js';

// Operating it: the diagnostics channels and their messages.
export * from './diagnostics.js';
export { subscribeChannel, subscribeTrace, type ChannelMessages, type TraceContexts, type TraceHandlers } from './diagnostics-subscription.js';
