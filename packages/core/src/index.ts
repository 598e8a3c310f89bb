/**
 * `@token-clients/core`: what a caller of token-clients uses. Vendor-building blocks are under
 * `@token-clients/core/vendor-kit`; this root is pinned by test/root-exports.test.ts.
 */
export { TokenError, TOKEN_ERROR_CODES, type TokenErrorCode, type TokenErrorOptions } from './token-error.js';
export type { TokenSet, Clock, GetTokenOptions, TokenLogger } from './contract.js';

// Caching and refreshing.
export { createTokenProvider, type TokenProvider, type TokenProviderOptions, type TokenProviderEvent } from './token-provider.js';
export { MAX_RETRY_AFTER_MS, type RefreshPolicy } from './refresh-policy.js';
export { QUOTA_WARNING_SHARE, DEFAULT_QUOTA_TIME_ZONE } from './refresh-policy.js';
export type { ProviderSettings, UserProviderSettings } from './define-vendor.js';
export type { ClientOptions, RequestOptions } from './vendor-options.js';

// Stores.
export { MemoryStore, type MemoryStoreOptions, type TokenStore, type StoredToken, type Lease } from './token-store.js';

// Calling an API with the token.
export { bearerAuth, rejectedByErrcode, type BearerAuthMiddleware, type BearerAuthOptions } from './bearer-auth.js';

// Operating it: the diagnostics channels and their messages.
export {
  CHANNELS,
  type CacheMessage,
  type ChannelMessages,
  type LeaseWaitMessage,
  type QuotaMessage,
  type RefreshContext,
  type RefreshResult,
  type StoreMessage,
  type TokenRequestContext,
  type TokenRequestResult,
  type TraceContexts,
} from './diagnostics.js';
export {
  subscribeChannel,
  subscribeTrace,
  subscribeMeasurements,
  type TraceHandlers,
  type MeasurementHandlers,
  type RequestMeasurement,
  type RefreshMeasurement,
  type LeaseWaitMeasurement,
} from './diagnostics-subscription.js';
