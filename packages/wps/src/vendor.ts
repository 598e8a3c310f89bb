/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'wps';

/** The grant a WPS token request used: it decides what a refusal means (spec ruling 5). */
export type WpsGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** What the readers must know about the request an answer belongs to. */
export interface AnsweredRequest {
  /** The grant that was sent. */
  grant: WpsGrantType;
}
