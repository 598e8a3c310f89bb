export {
  createWecomClient,
  WECOM_DEFAULT_BASE_URL,
  WECOM_RENEWAL_WINDOW_MS,
  type WecomClient,
  type WecomClientOptions,
} from './client.js';
export { WECOM_API_AUTH, WECOM_DEAD_TOKEN_CODES } from './api-auth.js';
export { WECOM_MAX_LIFETIME_SECONDS, type WecomTokenResponse } from './read-token-response.js';
export type { paths, components } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
