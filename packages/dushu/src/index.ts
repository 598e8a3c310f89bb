export { createDushuClient, DUSHU_DEFAULT_BASE_URL, type DushuClient, type DushuClientOptions } from './client.js';
export { normalizeDushuResponse, type DushuTokenResponse } from './normalize-response.js';
export type { paths, components, operations } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
