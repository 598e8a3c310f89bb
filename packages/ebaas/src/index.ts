export {
  createEbaasClient,
  EBAAS_DEV_BASE_URL,
  EBAAS_TEST_BASE_URL,
  type EbaasClient,
  type EbaasClientOptions,
} from './client.js';
export { EBAAS_MAX_LIFETIME_SECONDS, type EbaasTokenResponse, type EbaasErrorResponse } from './read-token-response.js';
export type { paths, components } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
