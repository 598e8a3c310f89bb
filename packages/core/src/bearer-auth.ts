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
  /**
   * Sends the token as this query parameter instead of an `Authorization` header — for APIs that read it from
   * the URL, as WeChat's and WeCom's do (`access_token`).
   */
  queryParameter?: string;
  /**
   * Whether an answer says the token is dead, besides a 401 (always): for APIs that report it inside an HTTP 200,
   * e.g. {@link rejectedByErrcode}`([40001, 42001])`. Such an answer is handled as a 401 is: the token is
   * invalidated and the request retried once with a new one. Must not consume the response's body (read a clone).
   */
  tokenRejected?: (response: Response) => boolean | Promise<boolean>;
}

/**
 * A {@link BearerAuthOptions.tokenRejected} for APIs that answer `{ "errcode": <code>, … }` — usually in an HTTP
 * 200 — when the token is dead: a JSON answer whose `errcode` is one of `codes`. Reads a clone, so the caller still
 * gets the body.
 *
 * @example
 * api.use(bearerAuth(provider, { queryParameter: 'access_token', tokenRejected: rejectedByErrcode([40001, 40014, 42001]) }));
 */
export function rejectedByErrcode(codes: readonly number[]): (response: Response) => Promise<boolean> {
  const dead = new Set(codes);
  return async (response) => {
    // Downloads (media, files) are not read: only JSON answers, and plain text, which some APIs label theirs.
    const type = response.headers.get('content-type') ?? '';
    if (type !== '' && !/json|text\/plain/i.test(type)) return false;
    try {
      const body: unknown = await response.clone().json();
      const errcode = typeof body === 'object' && body !== null ? (body as { errcode?: unknown }).errcode : undefined;
      return typeof errcode === 'number' && dead.has(errcode);
    } catch {
      return false;
    }
  };
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
  const { queryParameter, tokenRejected } = options;
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
  /** `request` carrying `token`: in the query parameter when one is named, else in the `Authorization` header. */
  const withToken = (request: Request, token: { tokenType: string; accessToken: string }): Request => {
    if (queryParameter === undefined) {
      request.headers.set('Authorization', authorization(token.tokenType, token.accessToken));
      return request;
    }
    const url = new URL(request.url);
    url.searchParams.set(queryParameter, token.accessToken);
    return new Request(url, request);
  };
  const rejects = async (response: Response): Promise<boolean> =>
    response.status === 401 || (tokenRejected !== undefined && (await tokenRejected(response)));

  return {
    async onRequest({ request }) {
      if (!isForTheApi(request.url)) return undefined;
      const token = await provider.getToken();
      // Cloned before the body is sent: a 401 is retried with the same body.
      const retry = request.clone();
      const sent = withToken(request, token);
      attempts.set(sent, { accessToken: token.accessToken, retry });
      return sent;
    },
    async onResponse({ request, response, options: { fetch } }) {
      const attempt = attempts.get(request);
      attempts.delete(request);
      if (attempt === undefined || !(await rejects(response))) return undefined;
      await provider.invalidate(attempt.accessToken);
      const fresh = await provider.getToken();
      if (fresh.accessToken === attempt.accessToken) return undefined;
      await response.body?.cancel();
      return fetch(withToken(attempt.retry, fresh));
    },
  };
}
