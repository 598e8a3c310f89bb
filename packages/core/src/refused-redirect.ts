/**
 * Thrown by the vendor fetch when a token endpoint answers with a redirect. Token requests never follow one:
 * a 307/308 would re-send the client secret, code or refresh token to whatever origin the `Location` names
 * (https → http included), and the token that origin answers with would be accepted as the vendor's.
 */
export class RefusedRedirectError extends Error {
  /**
   * @param status - the redirect's HTTP status (0 for an opaque redirect).
   * @param sameOrigin - whether the `Location` stays on the requested origin (only the origin is compared and
   *   reported: the location may carry a query string with secrets).
   */
  constructor(
    readonly status: number,
    readonly sameOrigin: boolean | undefined,
  ) {
    super(`token endpoint answered with a redirect (HTTP ${status}); token requests never follow redirects`);
    this.name = 'RefusedRedirectError';
  }
}

/** Whether `response` is a redirect: a 3xx with a `Location`, an opaque redirect, or one a custom fetch followed. */
export function isRedirect(response: Response): boolean {
  if (response.type === 'opaqueredirect' || response.redirected) return true;
  return response.status >= 300 && response.status < 400 && response.headers.has('location');
}

/** The error for a redirect answering `requestUrl`. */
export function refusedRedirect(response: Response, requestUrl: string): RefusedRedirectError {
  const location = response.headers.get('location');
  let sameOrigin: boolean | undefined;
  if (location !== null) {
    try {
      sameOrigin = new URL(location, requestUrl).origin === new URL(requestUrl).origin;
    } catch {
      sameOrigin = undefined;
    }
  }
  return new RefusedRedirectError(response.status, sameOrigin);
}
