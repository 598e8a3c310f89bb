export { createDushuClient, DUSHU_TEST_BASE_URL, DUSHU_DEFAULT_BASE_URL, type DushuClient, type DushuClientOptions } from './client.js';
export type { DushuTokenResponse } from './read-token-response.js';
export type { paths, components } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
