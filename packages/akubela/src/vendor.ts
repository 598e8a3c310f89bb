/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'akubela';

/** The two grants of the token endpoint. */
export type AkubelaGrantType = 'client_credentials' | 'refresh_token';

/** What the readers must know about the request an answer belongs to. */
export interface AnsweredRequest {
  /** The grant asked for: a refusal of a `refresh_token` request means a dead refresh token (spec ruling 7). */
  grant: AkubelaGrantType;
}
