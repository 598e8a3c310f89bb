export {
  createEbaasClient,
  EBAAS_DEV_BASE_URL,
  EBAAS_TEST_BASE_URL,
  type EbaasClient,
  type EbaasClientOptions,
} from './client.js';
export {
  normalizeEbaasResponse,
  EBAAS_MAX_LIFETIME_SECONDS,
  type EbaasTokenResponse,
  type EbaasErrorResponse,
} from './normalize-response.js';
export { ebaasErrorCode } from './error-code.js';
export { parseEbaasTime } from './expiry-time.js';
export type { paths, components, operations } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
