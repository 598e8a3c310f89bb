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
export type { OptionSpec, BaseUrlPolicy } from './vendor-options.js';

// Reading the answer.
export type { TokenEndpointResponse } from './token-endpoint.js';
export { ResponseReader } from './response-reader.js';
export { asJsonObject, type JsonObject } from './json-object.js';
export { vendorError, type VendorErrorDetails } from './response-error.js';
export {
  readOAuthErrorBody,
  oauthErrorDetails,
  oauthErrorCode,
  statusErrorCode,
  type OAuthErrorBody,
  type OAuthErrorDetails,
} from './oauth-error-body.js';
export { parseSeconds, expiryFromLifetime, serverTimeFromDateHeader, clockOffset, localExpiry } from './expiry.js';
