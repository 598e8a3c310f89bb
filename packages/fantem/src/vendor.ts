/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'fantem';

/** The two grants of the token endpoint. */
export type FantemGrantType = 'authorization_code' | 'refresh_token';

/** What the readers must know about the request an answer belongs to. */
export interface AnsweredRequest {
  /** The grant that was sent; both carry a code or refresh token, so a bare 400 refuses it (ruling 6). */
  grant: FantemGrantType;
}
