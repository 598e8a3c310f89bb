import createClient, { type Client } from 'openapi-fetch';
import { TokenError, type ClientOptions, type ProviderSettings, type RequestOptions, type TokenErrorCode, type TokenProvider, type TokenSet } from '@token-clients/core';
import {
  createClientTokenProvider,
  formUrlEncoded,
  providerKey,
  requireArgument,
  requireStringOption,
  resolveClientOptions,
  sendTokenRequest,
  vendorFetch,
  withRedactedView,
} from '@token-clients/core/vendor-kit';
import type { components, paths } from './generated/schema.js';
import { readTokenResponse, type AkubelaTokenResponse } from './read-token-response.js';
import { VENDOR, type AkubelaGrantType } from './vendor.js';

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
  const creating: Where = { where: `create ${VENDOR} client`, code: 'invalid_configuration' };
  const scope = checkScope(options.scope ?? AKUBELA_DEFAULT_SCOPE, 'scope', creating);
  const expiresIn = checkExpiresIn(options.expiresIn, 'expiresIn', creating);
  const { clientId } = resolved;
  const { clientSecret } = options;
  const api = createClient<paths>({ baseUrl: resolved.baseUrl, fetch: vendorFetch(resolved.fetch) });

  const client = { vendor: VENDOR, options: resolved };

  function send(body: TokenRequestBody, grant: AkubelaGrantType, signal: AbortSignal | undefined): Promise<TokenSet<AkubelaTokenResponse>> {
    return sendTokenRequest(
      client,
      {
        grant,
        method: 'POST',
        path: TOKEN_PATH,
        fields: body,
        secretFields: ['client_secret', 'refresh_token'],
        send: (init) =>
          api.POST(TOKEN_PATH, {
            body,
            bodySerializer: formUrlEncoded,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            ...init,
          }),
        read: (answer) => readTokenResponse(answer, { grant }),
      },
      signal,
    );
  }

  async function requestToken(request: AkubelaTokenRequestOptions = {}): Promise<TokenSet<AkubelaTokenResponse>> {
    const where: Where = { where: `${VENDOR} requestToken`, code: 'invalid_request' };
    const lifetime = checkExpiresIn(request.expiresIn, 'expiresIn', where) ?? expiresIn;
    const body: TokenRequestBody = {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: request.scope === undefined ? scope : checkScope(request.scope, 'scope', where),
      ...(lifetime === undefined ? {} : { expires_in: lifetime }),
    };
    return send(body, 'client_credentials', request.signal);
  }

  async function refresh(refreshToken: string, request: AkubelaRefreshOptions = {}): Promise<TokenSet<AkubelaTokenResponse>> {
    requireArgument(VENDOR, refreshToken, 'refreshToken', 'refresh');
    const lifetime = checkExpiresIn(request.expiresIn, 'expiresIn', { where: `${VENDOR} refresh`, code: 'invalid_request' }) ?? expiresIn;
    const body: TokenRequestBody = {
      grant_type: 'refresh_token',
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: refreshToken,
      ...(lifetime === undefined ? {} : { expires_in: lifetime }),
    };
    return send(body, 'refresh_token', request.signal);
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

/**
 * Where an option or argument was given, for the message (`create akubela client`, `akubela requestToken`), and
 * the code of a mistake there: `invalid_configuration` at creation, `invalid_request` for a call's argument.
 */
interface Where {
  where: string;
  code: TokenErrorCode;
}

/** RFC 6749 §3.3: scope tokens of printable ASCII except space, `"` and `\`, separated by single spaces. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

/** A scope such as `hotel` or `manager` (spec ruling 2). */
function checkScope(value: unknown, name: string, at: Where): string {
  if (typeof value !== 'string' || !SCOPE.test(value)) {
    throw new TokenError({
      code: at.code,
      vendor: VENDOR,
      message: `${at.where}: ${name} must be an OAuth2 scope such as "hotel" (non-empty, space-separated, no surrounding spaces)`,
    });
  }
  return value;
}

/** An optional requested lifetime in whole seconds (spec ruling 3). */
function checkExpiresIn(value: unknown, name: string, at: Where): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TokenError({ code: at.code, vendor: VENDOR, message: `${at.where}: ${name} must be a positive whole number of seconds` });
  }
  return value;
}
