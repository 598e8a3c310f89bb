export {
  createAkubelaClient,
  AKUBELA_DEFAULT_BASE_URL,
  AKUBELA_DEFAULT_SCOPE,
  type AkubelaClient,
  type AkubelaClientOptions,
  type AkubelaTokenRequestOptions,
  type AkubelaRefreshOptions,
} from './client.js';
export { AKUBELA_MAX_LIFETIME_SECONDS, type AkubelaTokenResponse } from './read-token-response.js';
export type { paths, components } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
