import createClient, { type Client } from 'openapi-fetch';
import type { ClientOptions, ProviderSettings, RequestOptions, TokenProvider, TokenSet } from '@token-clients/core';
import {
  createClientTokenProvider,
  providerKey,
  requireStringOption,
  resolveClientOptions,
  sendTokenRequest,
  vendorFetch,
  withRedactedView,
} from '@token-clients/core/vendor-kit';
import type { paths } from './generated/schema.js';
import { readTokenResponse, type WechatTokenResponse } from './read-token-response.js';
import { VENDOR, type WechatEndpoint } from './vendor.js';

/** WeChat's API server, and so the default `baseUrl`. */
export const WECHAT_DEFAULT_BASE_URL = 'https://api.weixin.qq.com';

/**
 * The stable endpoint's renewal window: it issues a new token only in the last 5 minutes of the current one, and
 * hands the current one back before (ruling 1). The providers refresh ahead inside it.
 */
export const WECHAT_RENEWAL_WINDOW_MS = 5 * 60_000;

/** The classic endpoint's calls a day per account, the providers' default `dailyBudget` there (ruling 5). */
export const WECHAT_CLASSIC_DAILY_LIMIT = 2000;

/** Options of {@link createWechatClient}. `clientId` is the account's AppID. */
export interface WechatClientOptions extends ClientOptions {
  /** The account's AppSecret. Travels in the JSON body (stable) or the query string (classic); never logged. */
  clientSecret: string;
  /**
   * `'stable'` (default): `POST /cgi-bin/stable_token`, the same token until its last 5 minutes. `'classic'`:
   * `GET /cgi-bin/token`, a new token every call, limited per day. Their tokens are isolated from each other.
   */
  endpoint?: WechatEndpoint;
}

/** Options of one {@link WechatClient.requestToken} call. */
export interface WechatRequestOptions extends RequestOptions {
  /**
   * Stable endpoint only: `force_refresh`, for a **leaked** token. Ends the previous token for every process of
   * the app (20 a day, at least 30 s apart; ruling 2). Providers never send it; after a forced refresh, call
   * `invalidate()` on your providers so they pick the new token up.
   */
  forceRefresh?: boolean;
}

/** A client of WeChat's token endpoints, and of its APIs through `api`. */
export interface WechatClient {
  /** The openapi-fetch client, typed by the spec's generated `paths`; add `wechatApiAuth(provider)` to it. */
  readonly api: Client<paths>;
  /** One uncached token request. Prefer {@link WechatClient.tokenProvider}. */
  requestToken(options?: WechatRequestOptions): Promise<TokenSet<WechatTokenResponse>>;
  /**
   * A cached, single-flight provider of the account's token. On the stable endpoint it refreshes ahead inside
   * the 5-minute renewal window (`renewalWindowMs`); on the classic one it counts a `dailyBudget` of 2000. Give
   * every process of one app the same `store` (a `RedisStore` for a fleet).
   */
  tokenProvider(settings?: ProviderSettings): TokenProvider<WechatTokenResponse>;
}

/**
 * Creates a WeChat (Official Account or Mini Program) client.
 *
 * @example
 * const wechat = createWechatClient({ clientId: process.env.WECHAT_APPID!, clientSecret: process.env.WECHAT_APPSECRET! });
 * const accessToken = await wechat.tokenProvider().getAccessToken();
 */
export function createWechatClient(options: WechatClientOptions): WechatClient {
  const resolved = resolveClientOptions(VENDOR, options, { baseUrl: WECHAT_DEFAULT_BASE_URL, vendorOptions: ['clientSecret', 'endpoint'] });
  requireStringOption(VENDOR, options.clientSecret, 'clientSecret');
  const endpoint = options.endpoint ?? 'stable';
  if (endpoint !== 'stable' && endpoint !== 'classic') requireStringOption(VENDOR, undefined, "endpoint ('stable' or 'classic')");
  const { clientId } = resolved;
  const { clientSecret } = options;
  // Token requests go through a client of their own: the APIs share the token endpoint's server, and `api` is
  // where callers add `bearerAuth`, whose token request would otherwise wait for itself.
  const tokenApi = createClient<paths>({ baseUrl: resolved.baseUrl, fetch: vendorFetch(resolved.fetch) });
  const api = createClient<paths>({ baseUrl: resolved.baseUrl, fetch: vendorFetch(resolved.fetch) });
  const client = { vendor: VENDOR, options: resolved };
  const read = (answer: Parameters<typeof readTokenResponse>[0]) => readTokenResponse(answer, { grant: 'client_credentials', endpoint });

  function requestToken(request: WechatRequestOptions = {}): Promise<TokenSet<WechatTokenResponse>> {
    if (endpoint === 'classic') {
      const query = { grant_type: 'client_credential', appid: clientId, secret: clientSecret } as const;
      return sendTokenRequest(
        client,
        {
          grant: 'client_credentials',
          method: 'GET',
          path: '/cgi-bin/token',
          fields: query,
          secretFields: ['secret'],
          send: (init) => tokenApi.GET('/cgi-bin/token', { params: { query }, ...init }),
          read,
        },
        request.signal,
      );
    }
    const body = {
      grant_type: 'client_credential',
      appid: clientId,
      secret: clientSecret,
      ...(request.forceRefresh === true ? { force_refresh: true } : {}),
    } as const;
    return sendTokenRequest(
      client,
      {
        grant: 'client_credentials',
        method: 'POST',
        path: '/cgi-bin/stable_token',
        fields: body,
        secretFields: ['secret'],
        send: (init) => tokenApi.POST('/cgi-bin/stable_token', { body, ...init }),
        read,
      },
      request.signal,
    );
  }

  function tokenProvider(settings: ProviderSettings = {}): TokenProvider<WechatTokenResponse> {
    // The two endpoints' tokens are isolated (a classic call does not end a stable token): two keys.
    const key = endpoint === 'classic' ? `${providerKey(VENDOR, resolved.baseUrl, clientId)}:classic` : undefined;
    const defaults: ProviderSettings =
      endpoint === 'classic' ? { dailyBudget: WECHAT_CLASSIC_DAILY_LIMIT } : { renewalWindowMs: WECHAT_RENEWAL_WINDOW_MS };
    return createClientTokenProvider(client, { requestToken: (signal) => requestToken({ signal }), key }, { ...defaults, ...settings });
  }

  return withRedactedView({ api, requestToken, tokenProvider }, 'WechatClient', { vendor: VENDOR, clientId, baseUrl: resolved.baseUrl, endpoint });
}
