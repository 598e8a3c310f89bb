/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'wechat';

/** WeChat's two token endpoints (specs/wechat.yaml): the stable token (the default) and the classic one. */
export type WechatEndpoint = 'stable' | 'classic';

/** What the readers must know about the request an answer belongs to. */
export interface AnsweredRequest {
  /** The grant that was sent. */
  grant: 'client_credentials';
  /** The endpoint that answered. */
  endpoint: WechatEndpoint;
}
