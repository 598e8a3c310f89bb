import createClient, { type Client } from 'openapi-fetch';
import type {
  ClientOptions,
  ProviderSettings,
  RequestOptions,
  TokenProvider,
  TokenSet,
  UserProviderSettings,
} from '@token-clients/core';
import {
  createClientTokenProvider,
  createUserTokenProvider,
  formUrlEncoded,
  keepRefreshToken,
  requireArgument,
  requireStringOption,
  resolveClientOptions,
  sendTokenRequest,
  vendorFetch,
  withRedactedView,
} from '@token-clients/core/vendor-kit';
import type { components, paths } from './generated/schema.js';
import { readTokenResponse, type WpsTokenResponse } from './read-token-response.js';
import { VENDOR } from './vendor.js';

/** The production server the WPS document gives, and so the default. */
export const WPS_DEFAULT_BASE_URL = 'https://openapi.wps.cn';

/** Options of {@link createWpsClient}. */
export interface WpsClientOptions extends ClientOptions {
  /** The application's APPKEY. Travels in the form body; never logged. */
  clientSecret: string;
}

/** What the authorization redirect handed the application. */
export interface WpsAuthorizationCode {
  /** The temporary code carried on the redirect (single use). */
  code: string;
  /** The redirect address the code was issued for; WPS checks it against the code. */
  redirectUri: string;
}

/** A client of the WPS 365 open platform's token endpoint. Each call is one uncached request. */
export interface WpsClient {
  /** The openapi-fetch client, typed by the spec's generated `paths`. */
  readonly api: Client<paths>;
  /** Exchanges an authorization code for a user's tokens (`grant_type=authorization_code`). */
  exchangeCode(grant: WpsAuthorizationCode, options?: RequestOptions): Promise<TokenSet<WpsTokenResponse>>;
  /**
   * Refreshes a user's tokens (`grant_type=refresh_token`). The result's `refreshToken` is the rotated one
   * when WPS sent one — never send the old one again — else the one given here.
   */
  refresh(refreshToken: string, options?: RequestOptions): Promise<TokenSet<WpsTokenResponse>>;
  /** Gets an app token, acting for the application itself (`grant_type=client_credentials`). */
  requestToken(options?: RequestOptions): Promise<TokenSet<WpsTokenResponse>>;
  /** A cached, single-flight, refresh-ahead provider of the app token (client credentials). */
  tokenProvider(settings?: ProviderSettings): TokenProvider<WpsTokenResponse>;
  /**
   * One user's tokens, cached and refreshed with their (rotating) refresh token ahead of expiry. Start it with
   * the result of {@link WpsClient.exchangeCode} as `initial`. A rejected refresh token ends in
   * `reauthorization_required` — never in an app token, which would act with other rights than the user's.
   */
  userTokenProvider(settings: UserProviderSettings<WpsTokenResponse>): TokenProvider<WpsTokenResponse>;
}

type TokenRequest = components['schemas']['TokenRequest'];

const FORM = 'application/x-www-form-urlencoded';

/**
 * Creates a WPS 365 client.
 *
 * @example
 * const wps = createWpsClient({ clientId: process.env.WPS_APP_ID!, clientSecret: process.env.WPS_APP_KEY! });
 * const user = await wps.exchangeCode({ code, redirectUri: 'https://app.example/wps/callback' });
 * const later = await wps.refresh(user.refreshToken!);
 */
export function createWpsClient(options: WpsClientOptions): WpsClient {
  const resolved = resolveClientOptions(VENDOR, options, { baseUrl: WPS_DEFAULT_BASE_URL, vendorOptions: ['clientSecret'] });
  requireStringOption(VENDOR, options.clientSecret, 'clientSecret');
  const { clientId } = resolved;
  const { clientSecret } = options;
  // The endpoint takes only urlencoded bodies: make that the default, so that `api.POST` used directly
  // does not send openapi-fetch's default JSON, which WPS refuses.
  const api = createClient<paths>({
    baseUrl: resolved.baseUrl,
    fetch: vendorFetch(resolved.fetch),
    headers: { 'Content-Type': FORM },
    bodySerializer: formUrlEncoded,
  });

  const client = { vendor: VENDOR, options: resolved };

  function send(body: TokenRequest, request: RequestOptions): Promise<TokenSet<WpsTokenResponse>> {
    return sendTokenRequest(
      client,
      {
        grant: body.grant_type,
        method: 'POST',
        path: '/oauth2/token',
        fields: body,
        secretFields: ['client_secret', 'code', 'refresh_token'],
        send: (init) => api.POST('/oauth2/token', { body, ...init }),
        read: (answer) => readTokenResponse(answer, { grant: body.grant_type }),
      },
      request.signal,
    );
  }

  async function exchangeCode(grant: WpsAuthorizationCode, request: RequestOptions = {}) {
    requireArgument(VENDOR, grant?.code, 'code', 'exchangeCode');
    requireArgument(VENDOR, grant?.redirectUri, 'redirectUri', 'exchangeCode');
    const body = {
      grant_type: 'authorization_code',
      client_id: clientId,
      client_secret: clientSecret,
      code: grant.code,
      redirect_uri: grant.redirectUri,
    } as const;
    return send(body, request);
  }

  async function refresh(refreshToken: string, request: RequestOptions = {}) {
    requireArgument(VENDOR, refreshToken, 'refreshToken', 'refresh');
    const body = { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken } as const;
    // Ruling 4: without a new refresh token in the answer, the one sent stays in use.
    return keepRefreshToken(await send(body, request), refreshToken);
  }

  async function requestToken(request: RequestOptions = {}) {
    return send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }, request);
  }


  function tokenProvider(settings?: ProviderSettings): TokenProvider<WpsTokenResponse> {
    return createClientTokenProvider(client, { requestToken: (signal) => requestToken({ signal }) }, settings);
  }

  function userTokenProvider(settings: UserProviderSettings<WpsTokenResponse>): TokenProvider<WpsTokenResponse> {
    return createUserTokenProvider(client, (refreshToken, signal) => refresh(refreshToken, { signal }), settings);
  }

  return withRedactedView({ api, exchangeCode, refresh, requestToken, tokenProvider, userTokenProvider }, 'WpsClient', {
    vendor: VENDOR,
    clientId,
    baseUrl: resolved.baseUrl,
  });
}
