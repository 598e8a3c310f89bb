import createClient, { type Client } from 'openapi-fetch';
import type { ClientOptions, ProviderSettings, RequestOptions, TokenProvider, TokenSet } from '@token-clients/core';
import {
  createClientTokenProvider,
  requireStringOption,
  resolveClientOptions,
  sendTokenRequest,
  vendorFetch,
  withRedactedView,
} from '@token-clients/core/vendor-kit';
import type { paths } from './generated/schema.js';
import { readTokenResponse, type EbaasTokenResponse } from './read-token-response.js';
import { VENDOR } from './vendor.js';

/** The development server (开发) the ebaas document lists. */
export const EBAAS_DEV_BASE_URL = 'https://dev-etc.ebaas.com';

/** The test server (测试) the ebaas document lists. */
export const EBAAS_TEST_BASE_URL = 'https://test-etc.ebaas.com';

/** Options of {@link createEbaasClient}. */
export interface EbaasClientOptions extends ClientOptions {
  /** The client secret (客户端密码) the vendor issued. Travels in the query string; never logged. */
  clientSecret: string;
  /**
   * The vendor's server. Required: the document gives no production host. Use {@link EBAAS_DEV_BASE_URL} or
   * {@link EBAAS_TEST_BASE_URL} for the documented environments.
   */
  baseUrl: string;
}

/** A client of the ebaas ETC platform's token endpoint. */
export interface EbaasClient {
  /** The openapi-fetch client, typed by the spec's generated `paths`. */
  readonly api: Client<paths>;
  /** One token request, uncached. There is no refresh token: a new token is simply requested again. */
  requestToken(options?: RequestOptions): Promise<TokenSet<EbaasTokenResponse>>;
  /** A cached, single-flight, refresh-ahead provider of this client's token (a new token is requested ahead of expiry). */
  tokenProvider(settings?: ProviderSettings): TokenProvider<EbaasTokenResponse>;
}

/**
 * Creates an ebaas ETC platform client.
 *
 * @example
 * const ebaas = createEbaasClient({
 *   clientId: process.env.EBAAS_CLIENT_ID!,
 *   clientSecret: process.env.EBAAS_CLIENT_SECRET!,
 *   baseUrl: EBAAS_TEST_BASE_URL,
 * });
 * const token = await ebaas.requestToken();
 */
export function createEbaasClient(options: EbaasClientOptions): EbaasClient {
  // No default: production has no documented host, so a forgotten baseUrl fails here, not at the first call.
  const resolved = resolveClientOptions(VENDOR, options, { vendorOptions: ['clientSecret'] });
  requireStringOption(VENDOR, options.clientSecret, 'clientSecret');
  const { clientId } = resolved;
  const { clientSecret } = options;
  const api = createClient<paths>({ baseUrl: resolved.baseUrl, fetch: vendorFetch(resolved.fetch) });
  const client = { vendor: VENDOR, options: resolved };

  function requestToken(request: RequestOptions = {}): Promise<TokenSet<EbaasTokenResponse>> {
    const query = { client_id: clientId, client_secret: clientSecret };
    return sendTokenRequest(
      client,
      {
        grant: 'client_credentials',
        method: 'GET',
        path: '/oauth/getAccessToken',
        fields: query,
        secretFields: ['client_secret'],
        send: (init) => api.GET('/oauth/getAccessToken', { params: { query }, ...init }),
        read: (answer) => readTokenResponse(answer, { grant: 'client_credentials' }),
      },
      request.signal,
    );
  }

  function tokenProvider(settings?: ProviderSettings): TokenProvider<EbaasTokenResponse> {
    return createClientTokenProvider(client, { requestToken: (signal) => requestToken({ signal }) }, settings);
  }

  return withRedactedView({ api, requestToken, tokenProvider }, 'EbaasClient', { vendor: VENDOR, clientId, baseUrl: resolved.baseUrl });
}
