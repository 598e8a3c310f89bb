export {
  createFantemClient,
  FANTEM_DEFAULT_BASE_URL,
  type FantemClient,
  type FantemClientOptions,
  type FantemCodeExchange,
} from './client.js';
export { normalizeFantemResponse, FANTEM_MAX_LIFETIME_SECONDS, type FantemTokenResponse, type FantemGrantRequest } from './normalize-response.js';
export type { paths, components, operations } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
