import { defineVendor } from '@token-clients/core/vendor-kit';
import type { paths } from './generated/schema.js';
import { readTokenResponse, VENDOR } from './read-token-response.js';

/** The European production cloud, which public integrations call (the document names no host). */
export const AKUBELA_DEFAULT_BASE_URL = 'https://api.ecloud.akubela.com';

/** The scope of the hotel API, and the default (spec ruling 2). */
export const AKUBELA_DEFAULT_SCOPE = 'hotel';

/** RFC 6749 §3.3: scope tokens of printable ASCII except space, `"` and `\`, separated by single spaces. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

/** Both grants' request: a urlencoded form (and so what `api.POST` sends by default), answered in JSON. */
const TOKEN_ENDPOINT = {
  method: 'post',
  path: '/api/v1.0/invoke/open-ability/method/oauth2/token',
  send: 'form',
  headers: { Accept: 'application/json' },
  secret: ['client_secret', 'refresh_token'],
  read: readTokenResponse,
} as const;

/**
 * Creates an Akubela client. `requestToken({ scope, expiresIn })` and `refresh(token, { expiresIn })` override the
 * client's scope and lifetime per call (the refresh grant carries no scope, ruling 12). `refresh` returns a new
 * access token **and a new refresh token**: the one sent is dead afterwards; a refusal is `invalid_grant`, the
 * signal to fall back to `requestToken`. `tokenProvider()` does both, storing each new pair before using it.
 *
 * @example
 * const akubela = createAkubelaClient({ clientId: process.env.AKUBELA_CLIENT_ID!, clientSecret: process.env.AKUBELA_CLIENT_SECRET! });
 * const token = await akubela.requestToken();
 * const next = await akubela.refresh(token.refreshToken!);
 */
export const createAkubelaClient = defineVendor<paths>()({
  name: VENDOR,
  baseUrl: { default: AKUBELA_DEFAULT_BASE_URL },
  options: {
    clientSecret: { type: 'string', required: true, secret: true, doc: 'The client secret the vendor issued; travels in the form body.' },
    scope: {
      type: 'string',
      default: AKUBELA_DEFAULT_SCOPE,
      doc: 'The scope asked for with client credentials (`hotel`, `manager`, `user`, …).',
      check: (value: string) => (SCOPE.test(value) ? undefined : 'must be an OAuth2 scope such as "hotel" (space-separated, single spaces)'),
    },
    expiresIn: {
      type: 'number',
      doc: 'The lifetime to ask for, in seconds; sent as `expires_in` when given. The server may grant less.',
      check: (value: number) => (Number.isSafeInteger(value) && value > 0 ? undefined : 'must be a positive whole number of seconds'),
    },
  },
  grants: {
    client_credentials: {
      ...TOKEN_ENDPOINT,
      perCall: ['scope', 'expiresIn'],
      fields: (o) => ({ grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.clientSecret, scope: o.scope, expires_in: o.expiresIn }),
    },
    refresh_token: {
      ...TOKEN_ENDPOINT,
      perCall: ['expiresIn'],
      fields: (o) => ({ grant_type: 'refresh_token', client_id: o.clientId, client_secret: o.clientSecret, refresh_token: o.refreshToken, expires_in: o.expiresIn }),
    },
  },
  refreshesAppToken: true,
  // One token per scope: a `hotel` token must not be served to a `manager` caller.
  storeKey: (key, o) => `${key}:scope:${String(o.scope)}`,
});

/** Options of {@link createAkubelaClient}. */
export type AkubelaClientOptions = Parameters<typeof createAkubelaClient>[0];

/** A client of the Akubela cloud open ability's OAuth2 token endpoint. */
export type AkubelaClient = ReturnType<typeof createAkubelaClient>;

/** Per-call options of {@link AkubelaClient.requestToken}: overrides of the client's scope and lifetime. */
export type AkubelaTokenRequestOptions = NonNullable<Parameters<AkubelaClient['requestToken']>[0]>;

/** Per-call options of {@link AkubelaClient.refresh}: an override of the client's lifetime. */
export type AkubelaRefreshOptions = NonNullable<Parameters<AkubelaClient['refresh']>[1]>;
