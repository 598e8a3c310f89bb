import createClient, { type Client } from 'openapi-fetch';
import {
  createUserTokenProvider,
  requireArgument,
  requireStringOption,
  resolveClientOptions,
  sendTokenRequest,
  vendorFetch,
  withRedactedView,
  type ClientOptions,
  type RequestOptions,
  type TokenProvider,
  type TokenSet,
  type UserProviderSettings,
} from '@token-clients/core';
import type { components, paths } from './generated/schema.js';
import { multipartBody } from './multipart-body.js';
import { normalizeFantemResponse, VENDOR, type FantemGrantRequest, type FantemTokenResponse } from './normalize-response.js';

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

  async function requestToken(body: TokenRequest, grant: FantemGrantRequest, callerSignal?: AbortSignal) {
    const secrets = [grant.credential, clientSecret].filter((secret): secret is string => secret !== undefined);
    const context = { vendor: VENDOR, timeoutMs: resolved.timeoutMs, clock: resolved.clock, secrets };
    const answer = await sendTokenRequest(
      context,
      (signal) =>
        api.POST('/oauth/token', {
          // Ruling 8: the undocumented client_secret goes only where one was configured.
          body: clientSecret === undefined ? body : { ...body, client_secret: clientSecret },
          bodySerializer: multipartBody,
          parseAs: 'text',
          signal,
        }),
      callerSignal,
    );
    return normalizeFantemResponse(answer, grant);
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
    return requestToken(body, { grantType: 'authorization_code', credential: code }, request.signal);
  }

  async function refresh(refreshToken: string, request: RequestOptions = {}) {
    requireArgument(VENDOR, refreshToken, 'refreshToken', 'refresh');
    const body: TokenRequest = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId };
    return requestToken(body, { grantType: 'refresh_token', credential: refreshToken }, request.signal);
  }

  function userTokenProvider(settings: UserProviderSettings<FantemTokenResponse>): TokenProvider<FantemTokenResponse> {
    return createUserTokenProvider({ vendor: VENDOR, options: resolved }, (refreshToken, signal) => refresh(refreshToken, { signal }), settings);
  }

  return withRedactedView({ api, exchangeCode, refresh, userTokenProvider }, 'FantemClient', { vendor: VENDOR, clientId, baseUrl: resolved.baseUrl });
}
