export {
  createWechatClient,
  WECHAT_CLASSIC_DAILY_LIMIT,
  WECHAT_DEFAULT_BASE_URL,
  WECHAT_RENEWAL_WINDOW_MS,
  type WechatClient,
  type WechatClientOptions,
  type WechatRequestOptions,
} from './client.js';
export { WECHAT_API_AUTH, WECHAT_DEAD_TOKEN_CODES } from './api-auth.js';
export { WECHAT_MAX_LIFETIME_SECONDS, type WechatEndpoint, type WechatTokenResponse } from './read-token-response.js';
export type { paths, components } from './generated/schema.js';
export { TokenError, type TokenErrorCode, type TokenSet } from '@token-clients/core';
