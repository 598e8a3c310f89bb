/**
 * `@token-clients/core/vendor-kit`: the building blocks of a vendor package — for the five in this repository
 * and for a sixth of your own (`pnpm new-vendor` writes one that uses exactly these). Callers of a vendor
 * package never need this subpath; they import `@token-clients/core`.
 *
 * A vendor package has the same files with the same roles as every other (see the scaffold): `vendor.ts`
 * (its name), `client.ts` (the factory: options via {@link resolveClientOptions}, each token call through
 * {@link sendTokenRequest}), `read-token-response.ts` (a {@link ResponseReader} over the answer),
 * `read-error.ts` (its documented error shape, then {@link oauthErrorDetails}, into {@link vendorError}),
 * `index.ts` and `generated/`.
 */

// Sending a token request: the one entry point, and what it hands to the vendor's reader.
export {
  sendTokenRequest,
  type TokenRequest,
  type TokenRequestClient,
  type TokenRequestInit,
} from './token-request.js';
export type { TokenEndpointResponse } from './token-answer.js';
export { vendorFetch, MAX_RESPONSE_BYTES, formUrlEncoded, multipartBody, type TextFetchResult } from './transport.js';

// Client options and call arguments.
export {
  resolveClientOptions,
  requireStringOption,
  DEFAULT_TIMEOUT_MS,
  type ResolvedClientOptions,
} from './client-options.js';
export { requireArgument } from './argument-check.js';
export { systemClock } from './contract.js';
// Stopping a wait at a deadline: for vendors and for stores (redis-store bounds its commands with it).
export { withDeadline, type Deadline } from './deadline.js';
export { withRedactedView } from './redacted-view.js';
export { redactSecrets } from './scrub-secrets.js';

// Reading the answer.
export { ResponseReader } from './token-answer.js';
export { asJsonObject, type JsonObject } from './token-answer.js';
export { vendorError, invalidResponse, describeNonJson, errcodeDetails, type VendorErrorDetails } from './answer-error.js';
export {
  readOAuthErrorBody,
  oauthErrorDetails,
  oauthErrorCode,
  statusErrorCode,
  type OAuthErrorBody,
  type OAuthErrorDetails,
} from './answer-error.js';
export { parseSeconds, expiryFromLifetime, serverTimeFromDateHeader, clockOffset, localExpiry } from './token-answer.js';
export { keepRefreshToken } from './keep-refresh-token.js';

// Providers for a vendor client.
export {
  providerKey,
  createClientTokenProvider,
  createUserTokenProvider,
  type ProviderClient,
  type ClientTokenSources,
} from './provider-settings.js';

// The refresh policy's arithmetic, for tests and tools that check a provider's timing.
export { DEFAULT_REFRESH_POLICY, tokenState, tokenTimeline, retryDelay, type TokenState } from './refresh-policy.js';
