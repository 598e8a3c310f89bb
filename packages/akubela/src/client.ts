import createClient, { type Client } from 'openapi-fetch';
import {
  createClientTokenProvider,
  formUrlEncoded,
  providerKey,
  requireStringOption,
  resolveClientOptions,
  sendTokenRequest,
  TokenError,
  vendorFetch,
  withRedactedView,
  type ClientOptions,
  type RequestOptions,
  type ProviderSettings,
  type TokenProvider,
  type TokenSet,
} from '@token-clients/core';
import type { components, paths } from './generated/schema.js';
import { normalizeAkubelaResponse, type AkubelaTokenResponse } from './normalize-response.js';
import { checkExpiresIn, checkScope } from './request-options.js';
import { VENDOR, type AkubelaGrantType } from './vendor-error.js';

/** The European production cloud, which public integrations call (the document names no host). */
export const AKUBELA_DEFAULT_BASE_URL = 'https://api.ecloud.akubela.com';

/** The scope of the hotel API, and the default (spec ruling 2). */
export const AKUBELA_DEFAULT_SCOPE = 'hotel';

const TOKEN_PATH = '/api/v1.0/invoke/open-ability/method/oauth2/token';

type TokenRequestBody = components['schemas']['ClientCredentialsRequest'] | components['schemas']['RefreshTokenRequest'];

/** Options of {@link createAkubelaClient}. */
export interface AkubelaClientOptions extends ClientOptions {
  /** The client secret the vendor issued. Travels in the form body; never logged. */
  clientSecret: string;
  /** The scope asked for with client credentials. Default `hotel`; `manager`, `user`, … can be passed. */
  scope?: string;
  /** The lifetime to ask for, in seconds; sent as `expires_in` when given. The server may grant less. */
  expiresIn?: number;
}

/** Per-call options of {@link AkubelaClient.requestToken}: overrides of the client's scope and lifetime. */
export interface AkubelaTokenRequestOptions extends RequestOptions {
  /** The scope for this request instead of the client's. */
  scope?: string;
  /** The lifetime (seconds) for this request instead of the client's. */
  expiresIn?: number;
}

/** Per-call options of {@link AkubelaClient.refresh}. The refresh grant carries no scope (spec ruling 12). */
export interface AkubelaRefreshOptions extends RequestOptions {
  /** The lifetime (seconds) for this request instead of the client's. */
  expiresIn?: number;
}

/** A client of the Akubela cloud open ability's OAuth2 token endpoint. */
export interface AkubelaClient {
  /** The openapi-fetch client, typed by the spec's generated `paths`. */
  readonly api: Client<paths>;
  /** One token request with the client-credentials grant (client mode), uncached. */
  requestToken(options?: AkubelaTokenRequestOptions): Promise<TokenSet<AkubelaTokenResponse>>;
  /**
   * Trades `refreshToken` for a new access token **and a new refresh token**. The one sent is dead
   * afterwards, whatever happens to the answer: store the new pair before using it. A refusal is
   * `invalid_grant`, the signal to fall back to {@link AkubelaClient.requestToken}.
   */
  refresh(refreshToken: string, options?: AkubelaRefreshOptions): Promise<TokenSet<AkubelaTokenResponse>>;
  /**
   * A cached, single-flight, refresh-ahead provider of this client's token (for its configured scope). It
   * refreshes with the rotating refresh token, storing each new pair before using it, and falls back to the
   * client credentials when the refresh token is refused.
   */
  tokenProvider(settings?: ProviderSettings): TokenProvider<AkubelaTokenResponse>;
}

/**
 * Creates an Akubela client.
 *
 * @example
 * const akubela = createAkubelaClient({ clientId: process.env.AKUBELA_CLIENT_ID!, clientSecret: process.env.AKUBELA_CLIENT_SECRET! });
 * const token = await akubela.requestToken();
 * const next = await akubela.refresh(token.refreshToken!);
 */
export function createAkubelaClient(options: AkubelaClientOptions): AkubelaClient {
  const resolved = resolveClientOptions(VENDOR, options, { baseUrl: AKUBELA_DEFAULT_BASE_URL, vendorOptions: ['clientSecret', 'scope', 'expiresIn'] });
  requireStringOption(VENDOR, options.clientSecret, 'clientSecret');
  const creating = `create ${VENDOR} client`;
  const scope = checkScope(options.scope ?? AKUBELA_DEFAULT_SCOPE, 'scope', creating);
  const expiresIn = checkExpiresIn(options.expiresIn, 'expiresIn', creating);
  const { clientId } = resolved;
  const { clientSecret } = options;
  const api = createClient<paths>({ baseUrl: resolved.baseUrl, fetch: vendorFetch(resolved.fetch) });

  async function send(
    body: TokenRequestBody,
    grantType: AkubelaGrantType,
    secrets: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<TokenSet<AkubelaTokenResponse>> {
    const context = { vendor: VENDOR, timeoutMs: resolved.timeoutMs, clock: resolved.clock, secrets };
    const answer = await sendTokenRequest(
      context,
      (abort) =>
        api.POST(TOKEN_PATH, {
          body,
          bodySerializer: formUrlEncoded,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          parseAs: 'text',
          signal: abort,
        }),
      signal,
    );
    return normalizeAkubelaResponse(answer, { grantType });
  }

  async function requestToken(request: AkubelaTokenRequestOptions = {}): Promise<TokenSet<AkubelaTokenResponse>> {
    const where = `${VENDOR} requestToken`;
    const lifetime = checkExpiresIn(request.expiresIn, 'expiresIn', where) ?? expiresIn;
    const body: TokenRequestBody = {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: request.scope === undefined ? scope : checkScope(request.scope, 'scope', where),
      ...(lifetime === undefined ? {} : { expires_in: lifetime }),
    };
    return send(body, 'client_credentials', [clientSecret], request.signal);
  }

  async function refresh(refreshToken: string, request: AkubelaRefreshOptions = {}): Promise<TokenSet<AkubelaTokenResponse>> {
    if (typeof refreshToken !== 'string' || refreshToken.length === 0) {
      // Nothing to refresh with is, for the caller, the same as a dead refresh token: fall back.
      throw new TokenError({
        code: 'invalid_grant',
        vendor: VENDOR,
        message: `${VENDOR} refresh: refreshToken must be a non-empty string; request a new token with the client credentials.`,
      });
    }
    const lifetime = checkExpiresIn(request.expiresIn, 'expiresIn', `${VENDOR} refresh`) ?? expiresIn;
    const body: TokenRequestBody = {
      grant_type: 'refresh_token',
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: refreshToken,
      ...(lifetime === undefined ? {} : { expires_in: lifetime }),
    };
    return send(body, 'refresh_token', [clientSecret, refreshToken], request.signal);
  }

  function tokenProvider(settings?: ProviderSettings): TokenProvider<AkubelaTokenResponse> {
    return createClientTokenProvider(
      { vendor: VENDOR, options: resolved },
      {
        // One token per scope: a `hotel` token must not be served to a `manager` caller.
        key: `${providerKey(VENDOR, resolved.baseUrl, clientId)}:scope:${scope}`,
        requestToken: (signal) => requestToken({ signal }),
        refresh: (refreshToken, signal) => refresh(refreshToken, { signal }),
      },
      settings,
    );
  }

  return withRedactedView({ api, requestToken, refresh, tokenProvider }, 'AkubelaClient', {
    vendor: VENDOR,
    clientId,
    baseUrl: resolved.baseUrl,
    scope,
    ...(expiresIn === undefined ? {} : { expiresIn }),
  });
}
