/**
 * `@token-clients/core/vendor-kit`: what a vendor package is written with — for the five in this repository and
 * for a sixth of your own (`pnpm new-vendor` writes one). Callers of a vendor package never need this subpath.
 *
 * A vendor is a definition plus its readers: `src/client.ts` states once, with {@link defineVendor}, its name,
 * base-URL policy, options and grants (method and path typed against the generated `paths`, how the fields
 * travel, which are secret); `src/read-token-response.ts` turns an answer into a `TokenSet` with a
 * {@link ResponseReader}, or throws what {@link vendorError} makes of its documented error shape. Core makes
 * every request and builds the client, its providers and its checks from the definition.
 */

// The definition.
export {
  defineVendor,
  type VendorDefinition,
  type GrantSpec,
  type Grants,
  type GrantName,
  type GrantInput,
  type VendorClient,
  type VendorClientOptions,
  type VendorDescription,
  type VendorFactory,
  type CodeExchange,
} from './define-vendor.js';
export type { OptionSpec, BaseUrlPolicy, ResolvedOptions } from './vendor-options.js';
// Stopping a wait at a deadline: for vendors and for stores (redis-store bounds its commands with it).
export { withDeadline, type Deadline } from './deadline.js';

// Reading the answer.
export type { TokenEndpointResponse } from './token-answer.js';
export { ResponseReader } from './token-answer.js';
export { asJsonObject, type JsonObject } from './token-answer.js';
export { vendorError, errcodeDetails, type VendorErrorDetails } from './answer-error.js';
export {
  readOAuthErrorBody,
  oauthErrorDetails,
  oauthErrorCode,
  statusErrorCode,
  type OAuthErrorBody,
  type OAuthErrorDetails,
} from './answer-error.js';
export { parseSeconds, expiryFromLifetime, serverTimeFromDateHeader, clockOffset, localExpiry } from './token-answer.js';
