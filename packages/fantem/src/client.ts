import createClient, { type Client } from 'openapi-fetch';
import type { ClientOptions, RequestOptions, TokenProvider, TokenSet, UserProviderSettings } from '@token-clients/core';
import {
  createUserTokenProvider,
  keepRefreshToken,
  multipartBody,
  requireArgument,
  requireStringOption,
  resolveClientOptions,
  sendTokenRequest,
  vendorFetch,
  withRedactedView,
} from '@token-clients/core/vendor-kit';
import type { components, paths } from './generated/schema.js';
import { readTokenResponse, type FantemTokenResponse } from './read-token-response.js';
import { VENDOR, type FantemGrantType } from './vendor.js';

/**
 * The only server the Fantem document gives, and so the default. Plain http: core warns once per process
 * when credentials go to it (ruling 7).
 */
export const FANTEM_DEFAULT_BASE_URL = 'http://openapi.fantem-gateway.com';

/** Options of {@link createFantemClient}. */
export interface FantemClientOptions extends ClientOptions {
  /**
   * The client secret, if the gateway gave you one. Not in the vendor document (ruling 8): when given it is
   * sent as a `client_secret` form field beside `client_id`; when not, nothing is sent. Never logged.
   */
  clientSecret?: string;
}

/** What {@link FantemClient.exchangeCode} exchanges. */
export interface FantemCodeExchange {
  /** The authorization code (授权码) from the authorization step. Single use. */
  code: string;
  /** The redirect URI the code was issued for; sent whenever given (ruling 3). */
  redirectUri?: string;
}

/** A client of the Fantem gateway's token endpoint (Alexa account linking). */
export interface FantemClient {
  /** The openapi-fetch client, typed by the spec's generated `paths`. */
  readonly api: Client<paths>;
  /**
   * Exchanges an authorization code for an access token and a refresh token (`grant_type=authorization_code`).
   * One uncached request; a spent or unknown code fails with `invalid_grant`.
   */
  exchangeCode(exchange: FantemCodeExchange, options?: RequestOptions): Promise<TokenSet<FantemTokenResponse>>;
  /**
   * Gets a new access token with a refresh token (`grant_type=refresh_token`). One uncached request. The
   * refresh token does not change, so the result carries the one passed in (ruling 5). An unknown or revoked
   * refresh token fails with `invalid_grant`.
   */
  refresh(refreshToken: string, options?: RequestOptions): Promise<TokenSet<FantemTokenResponse>>;
  /**
   * One user's tokens, cached and refreshed with their refresh token ahead of expiry. Start it with the result
   * of {@link FantemClient.exchangeCode} as `initial`; once the refresh token is rejected, calls fail with
   * `reauthorization_required` and the user must link their account again.
   */
  userTokenProvider(settings: UserProviderSettings<FantemTokenResponse>): TokenProvider<FantemTokenResponse>;
}

type TokenRequest = components['schemas']['TokenRequest'];

/**
 * Creates a Fantem gateway client.
 *
 * @example
 * const fantem = createFantemClient({ clientId: process.env.FANTEM_CLIENT_ID! });
 * const tokens = await fantem.exchangeCode({ code, redirectUri: 'https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA' });
 * const later = await fantem.refresh(tokens.refreshToken!);
 */
export function createFantemClient(options: FantemClientOptions): FantemClient {
  const resolved = resolveClientOptions(VENDOR, options, { baseUrl: FANTEM_DEFAULT_BASE_URL, vendorOptions: ['clientSecret'] });
  if (options.clientSecret !== undefined) requireStringOption(VENDOR, options.clientSecret, 'clientSecret');
  const { clientId } = resolved;
  const { clientSecret } = options;
  const api = createClient<paths>({ baseUrl: resolved.baseUrl, fetch: vendorFetch(resolved.fetch) });

  const client = { vendor: VENDOR, options: resolved };

  function send(body: TokenRequest, grant: FantemGrantType, signal?: AbortSignal): Promise<TokenSet<FantemTokenResponse>> {
    // Ruling 8: the undocumented client_secret goes only where one was configured.
    const fields: TokenRequest = clientSecret === undefined ? body : { ...body, client_secret: clientSecret };
    return sendTokenRequest(
      client,
      {
        grant,
        method: 'POST',
        path: '/oauth/token',
        fields,
        secretFields: ['client_secret', 'code', 'refresh_token'],
        send: (init) => api.POST('/oauth/token', { body: fields, bodySerializer: multipartBody, ...init }),
        read: (answer) => readTokenResponse(answer, { grant }),
      },
      signal,
    );
  }

  async function exchangeCode(exchange: FantemCodeExchange, request: RequestOptions = {}) {
    const { code, redirectUri } = (exchange ?? {}) as Partial<FantemCodeExchange>;
    // The gateway would answer a bare 400 that says nothing about why: check before sending.
    requireArgument(VENDOR, code, 'code', 'exchangeCode');
    if (redirectUri !== undefined) requireArgument(VENDOR, redirectUri, 'redirectUri', 'exchangeCode');
    // Ruling 3: client_id, code and redirect_uri are optional in the document but always sent when known.
    const body: TokenRequest = {
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      ...(redirectUri === undefined ? {} : { redirect_uri: redirectUri }),
    };
    return send(body, 'authorization_code', request.signal);
  }

  async function refresh(refreshToken: string, request: RequestOptions = {}) {
    requireArgument(VENDOR, refreshToken, 'refreshToken', 'refresh');
    const body: TokenRequest = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId };
    // Ruling 5: the answer carries no refresh token; the one sent stays valid.
    return keepRefreshToken(await send(body, 'refresh_token', request.signal), refreshToken);
  }

  function userTokenProvider(settings: UserProviderSettings<FantemTokenResponse>): TokenProvider<FantemTokenResponse> {
    return createUserTokenProvider(client, (refreshToken, signal) => refresh(refreshToken, { signal }), settings);
  }

  return withRedactedView({ api, exchangeCode, refresh, userTokenProvider }, 'FantemClient', { vendor: VENDOR, clientId, baseUrl: resolved.baseUrl });
}
