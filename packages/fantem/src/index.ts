export {
  createFantemClient,
  FANTEM_DEFAULT_BASE_URL,
  type FantemClient,
  type FantemClientOptions,
  type FantemCodeExchange,
} from './client.js';
export { FANTEM_MAX_LIFETIME_SECONDS, type FantemTokenResponse } from './read-token-response.js';
export type { paths, components } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
