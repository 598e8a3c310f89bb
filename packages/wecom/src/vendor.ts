/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'wecom';

/** What the readers must know about the request an answer belongs to: WeCom has one grant. */
export interface AnsweredRequest {
  /** The grant that was sent. */
  grant: 'client_credentials';
}
