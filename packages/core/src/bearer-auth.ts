import { TokenError } from './token-error.js';
import type { TokenProvider } from './token-provider.js';

/**
 * The openapi-fetch middleware shape `bearerAuth` returns (structural, so core needs no dependency on
 * openapi-fetch). Pass it to `client.use()`.
 */
export interface BearerAuthMiddleware {
  onRequest(params: { request: Request }): Promise<Request | undefined>;
  onResponse(params: {
    request: Request;
    response: Response;
    options: { fetch: (request: Request) => Promise<Response> };
  }): Promise<Response | undefined>;
}

/** Options of {@link bearerAuth}. */
export interface BearerAuthOptions {
  /**
   * The token is sent only to URLs under this base (same origin, same path prefix). Defaults to the
   * provider's `baseUrl`, the vendor API the token was issued for.
   */
  baseUrl?: string;
}

/**
 * openapi-fetch middleware that adds `Authorization: Bearer <token>` to every request under the vendor's
 * API, and on a 401 invalidates that token and retries once with a fresh one — never more, and not at all
 * when the provider's rate limit on forced refreshes gives back the same token.
 *
 * @example
 * const api = createClient<paths>({ baseUrl: 'https://openapi.wps.cn' });
 * api.use(bearerAuth(wps.tokenProvider()));
 */
export function bearerAuth(provider: TokenProvider, options: BearerAuthOptions = {}): BearerAuthMiddleware {
  const base = options.baseUrl ?? provider.baseUrl;
  let allowed: URL;
  try {
    allowed = new URL(base ?? '');
  } catch {
    throw new TokenError({
      code: 'invalid_configuration',
      vendor: 'core',
      message: 'bearerAuth: pass { baseUrl } — the API the token may be sent to (the provider does not say).',
    });
  }
  const prefix = allowed.pathname.replace(/\/+$/, '');
  const isForTheApi = (url: string): boolean => {
    const target = new URL(url);
    return target.origin === allowed.origin && (target.pathname === prefix || target.pathname.startsWith(`${prefix}/`));
  };
  const attempts = new WeakMap<Request, { accessToken: string; retry: Request }>();
  const authorization = (tokenType: string, accessToken: string) =>
    `${tokenType.charAt(0).toUpperCase()}${tokenType.slice(1)} ${accessToken}`;

  return {
    async onRequest({ request }) {
      if (!isForTheApi(request.url)) return undefined;
      const token = await provider.getToken();
      // Cloned before the body is sent: a 401 is retried with the same body.
      const retry = request.clone();
      request.headers.set('Authorization', authorization(token.tokenType, token.accessToken));
      attempts.set(request, { accessToken: token.accessToken, retry });
      return request;
    },
    async onResponse({ request, response, options: { fetch } }) {
      const attempt = attempts.get(request);
      attempts.delete(request);
      if (attempt === undefined || response.status !== 401) return undefined;
      await provider.invalidate(attempt.accessToken);
      const fresh = await provider.getToken();
      if (fresh.accessToken === attempt.accessToken) return undefined;
      await response.body?.cancel();
      attempt.retry.headers.set('Authorization', authorization(fresh.tokenType, fresh.accessToken));
      return fetch(attempt.retry);
    },
  };
}
