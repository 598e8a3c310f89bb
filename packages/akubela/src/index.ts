export {
  createAkubelaClient,
  AKUBELA_DEFAULT_BASE_URL,
  AKUBELA_DEFAULT_SCOPE,
  type AkubelaClient,
  type AkubelaClientOptions,
  type AkubelaTokenRequestOptions,
  type AkubelaRefreshOptions,
} from './client.js';
export { normalizeAkubelaResponse, AKUBELA_MAX_LIFETIME_SECONDS, type AkubelaTokenResponse } from './normalize-response.js';
export type { AkubelaAnswerContext, AkubelaGrantType } from './vendor-error.js';
export { akubelaClockOffset } from './clock-skew.js';
export type { paths, components, operations } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
