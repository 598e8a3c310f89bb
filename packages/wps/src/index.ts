export {
  createWpsClient,
  WPS_DEFAULT_BASE_URL,
  type WpsClient,
  type WpsClientOptions,
  type WpsAuthorizationCode,
} from './client.js';
export {
  normalizeWpsResponse,
  WPS_MAX_LIFETIME_SECONDS,
  WPS_MAX_REFRESH_LIFETIME_SECONDS,
  type WpsTokenResponse,
  type WpsErrorResponse,
  type WpsNormalizeOptions,
} from './normalize-response.js';
export type { WpsGrantType } from './error-code.js';
export type { paths, components, operations } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
