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
import { readTokenResponse, type WecomTokenResponse } from './read-token-response.js';
import { VENDOR } from './vendor.js';

/** WeCom's API server, and so the default `baseUrl`. */
export const WECOM_DEFAULT_BASE_URL = 'https://qyapi.weixin.qq.com';

/**
 * WeCom's renewal window: none. It hands back the current token until it expires (ruling 1), so its providers
 * serve the token to its expiry and ask then — refreshing ahead would only get the same token back.
 */
export const WECOM_RENEWAL_WINDOW_MS = 0;

/** Options of {@link createWecomClient}. `clientId` is the corp's id (企业ID, corpid). */
export interface WecomClientOptions extends ClientOptions {
  /** The application's secret (应用的凭证密钥, corpsecret). Travels in the query string; never logged. */
  clientSecret: string;
  /**
   * Which application of the corp the secret belongs to: its AgentId (`'1000002'`), or a name of your choosing
   * for a corp-level secret (`'contacts'`). Each application has its own token: this keeps them apart in the
   * store (ruling 2). Not a secret.
   */
  application: string;
}

/** A client of WeCom's token endpoint, and of its APIs through `api`. */
export interface WecomClient {
  /** The openapi-fetch client, typed by the spec's generated `paths`; add `bearerAuth(provider, WECOM_API_AUTH)`. */
  readonly api: Client<paths>;
  /** One uncached token request. Prefer {@link WecomClient.tokenProvider}: WeCom throttles frequent calls. */
  requestToken(options?: RequestOptions): Promise<TokenSet<WecomTokenResponse>>;
  /**
   * A cached, single-flight provider of the application's token, stored under the corpid and `application`.
   * WeCom renews a token only at its expiry, so the provider serves it to the end (`renewalWindowMs: 0`). Give
   * every process of one application the same `store` (a `RedisStore` for a fleet).
   */
  tokenProvider(settings?: ProviderSettings): TokenProvider<WecomTokenResponse>;
}

/**
 * Creates a WeCom (企业微信) client for one application of a corp.
 *
 * @example
 * const wecom = createWecomClient({ clientId: process.env.WECOM_CORPID!, clientSecret: process.env.WECOM_SECRET!, application: '1000002' });
 * const accessToken = await wecom.tokenProvider().getAccessToken();
 */
export function createWecomClient(options: WecomClientOptions): WecomClient {
  const resolved = resolveClientOptions(VENDOR, options, { baseUrl: WECOM_DEFAULT_BASE_URL, vendorOptions: ['clientSecret', 'application'] });
  requireStringOption(VENDOR, options.clientSecret, 'clientSecret');
  requireStringOption(VENDOR, options.application, 'application (the AgentId the secret belongs to)');
  const { clientId } = resolved;
  const { clientSecret, application } = options;
  // Token requests go through a client of their own: the APIs share the token endpoint's server, and `api` is
  // where callers add `bearerAuth`, whose token request would otherwise wait for itself.
  const tokenApi = createClient<paths>({ baseUrl: resolved.baseUrl, fetch: vendorFetch(resolved.fetch) });
  const api = createClient<paths>({ baseUrl: resolved.baseUrl, fetch: vendorFetch(resolved.fetch) });
  const client = { vendor: VENDOR, options: resolved };

  function requestToken(request: RequestOptions = {}): Promise<TokenSet<WecomTokenResponse>> {
    const query = { corpid: clientId, corpsecret: clientSecret };
    return sendTokenRequest(
      client,
      {
        grant: 'client_credentials',
        method: 'GET',
        path: '/cgi-bin/gettoken',
        fields: query,
        secretFields: ['corpsecret'],
        send: (init) => tokenApi.GET('/cgi-bin/gettoken', { params: { query }, ...init }),
        read: (answer) => readTokenResponse(answer, { grant: 'client_credentials' }),
      },
      request.signal,
    );
  }

  function tokenProvider(settings: ProviderSettings = {}): TokenProvider<WecomTokenResponse> {
    const key = `${providerKey(VENDOR, resolved.baseUrl, clientId)}:app:${application}`;
    return createClientTokenProvider(
      client,
      { requestToken: (signal) => requestToken({ signal }), key },
      { renewalWindowMs: WECOM_RENEWAL_WINDOW_MS, ...settings },
    );
  }

  return withRedactedView({ api, requestToken, tokenProvider }, 'WecomClient', { vendor: VENDOR, clientId, application, baseUrl: resolved.baseUrl });
}
