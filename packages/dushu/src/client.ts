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
import { readTokenResponse, type DushuTokenResponse } from './read-token-response.js';
import { VENDOR } from './vendor.js';

/** The only server the dushu document gives (its test environment), and so the default. */
export const DUSHU_DEFAULT_BASE_URL = 'https://open-platform-test.dushu.io';

/** Options of {@link createDushuClient}. */
export interface DushuClientOptions extends ClientOptions {
  /** The appSecret the vendor issued. Travels in the query string; never logged. */
  clientSecret: string;
}

/** A client of the dushu open platform's token endpoint. */
export interface DushuClient {
  /** The openapi-fetch client, typed by the spec's generated `paths`. */
  readonly api: Client<paths>;
  /** One token request with the client-credentials grant, uncached. Prefer {@link DushuClient.tokenProvider}. */
  requestToken(options?: RequestOptions): Promise<TokenSet<DushuTokenResponse>>;
  /**
   * A cached, single-flight, refresh-ahead provider of this client's token. Give every provider of one app
   * the same `store` (a `RedisStore` for a fleet): dushu limits token requests per day, and its document asks
   * for one central place that refreshes.
   */
  tokenProvider(settings?: ProviderSettings): TokenProvider<DushuTokenResponse>;
}

/**
 * Creates a dushu (Fandeng Reading) client.
 *
 * @example
 * const dushu = createDushuClient({ clientId: process.env.DUSHU_APP_ID!, clientSecret: process.env.DUSHU_APP_SECRET! });
 * const token = await dushu.requestToken();
 */
export function createDushuClient(options: DushuClientOptions): DushuClient {
  const resolved = resolveClientOptions(VENDOR, options, { baseUrl: DUSHU_DEFAULT_BASE_URL, vendorOptions: ['clientSecret'] });
  requireStringOption(VENDOR, options.clientSecret, 'clientSecret');
  const { clientId } = resolved;
  const { clientSecret } = options;
  const api = createClient<paths>({ baseUrl: resolved.baseUrl, fetch: vendorFetch(resolved.fetch) });
  const client = { vendor: VENDOR, options: resolved };

  function requestToken(request: RequestOptions = {}): Promise<TokenSet<DushuTokenResponse>> {
    const query = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } as const;
    return sendTokenRequest(
      client,
      {
        grant: 'client_credentials',
        method: 'POST',
        path: '/oauth/token',
        fields: query,
        secretFields: ['client_secret'],
        send: (init) => api.POST('/oauth/token', { params: { query }, ...init }),
        read: (answer) => readTokenResponse(answer, { grant: 'client_credentials' }),
      },
      request.signal,
    );
  }

  function tokenProvider(settings?: ProviderSettings): TokenProvider<DushuTokenResponse> {
    return createClientTokenProvider(client, { requestToken: (signal) => requestToken({ signal }) }, settings);
  }

  return withRedactedView({ api, requestToken, tokenProvider }, 'DushuClient', { vendor: VENDOR, clientId, baseUrl: resolved.baseUrl });
}
