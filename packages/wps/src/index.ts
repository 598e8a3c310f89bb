export {
  createWpsClient,
  WPS_DEFAULT_BASE_URL,
  type WpsClient,
  type WpsClientOptions,
  type WpsAuthorizationCode,
} from './client.js';
export { WPS_MAX_LIFETIME_SECONDS, WPS_MAX_REFRESH_LIFETIME_SECONDS, type WpsTokenResponse } from './read-token-response.js';
export type { paths, components } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
