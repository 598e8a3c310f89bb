/**
 * A vendor's token response, normalised. Every vendor package turns its own response shape into this.
 *
 * @typeParam Raw - the vendor's response body type (each vendor package narrows it).
 */
export interface TokenSet<Raw = unknown> {
  /** The bearer credential to send as `Authorization: <tokenType> <accessToken>`. */
  accessToken: string;
  /** Lower-case token type; `"bearer"` when the vendor says nothing. */
  tokenType: string;
  /** When the access token stops working: epoch milliseconds on the local clock. */
  expiresAt: number;
  /** The refresh token, for vendors that issue one. */
  refreshToken?: string;
  /** When the refresh token stops working, epoch milliseconds on the local clock, when the vendor says. */
  refreshExpiresAt?: number;
  /** The granted scopes, when the vendor says. */
  scope?: string[];
  /** The vendor's response body, as received. */
  raw: Raw;
}
