import { defineVendor } from '@token-clients/core/vendor-kit';
import type { paths } from './generated/schema.js';
import { readTokenResponse, VENDOR } from './read-token-response.js';

/**
 * The only server the Fantem document gives, and so the default. Plain http: core warns once per process
 * when credentials go to it (ruling 7).
 */
export const FANTEM_DEFAULT_BASE_URL = 'http://openapi.fantem-gateway.com';

/** Both grants' request: a multipart body, as in the vendor's example (and so what `api.POST` sends by default). */
const TOKEN_ENDPOINT = { method: 'post', path: '/oauth/token', send: 'multipart', secret: ['client_secret', 'code', 'refresh_token'], read: readTokenResponse } as const;

/**
 * Creates a Fantem gateway client (Alexa account linking): `exchangeCode`, `refresh` and `userTokenProvider` —
 * no client-credentials grant. Once a user's refresh token is rejected, their provider fails with
 * `reauthorization_required` and the user must link their account again.
 *
 * @example
 * const fantem = createFantemClient({ clientId: process.env.FANTEM_CLIENT_ID! });
 * const tokens = await fantem.exchangeCode({ code, redirectUri: 'https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA' });
 * const later = await fantem.refresh(tokens.refreshToken!);
 */
export const createFantemClient = defineVendor<paths>()({
  name: VENDOR,
  baseUrl: { default: FANTEM_DEFAULT_BASE_URL },
  options: {
    // Ruling 8: not in the vendor document; sent as a `client_secret` field beside `client_id` only when given.
    clientSecret: { type: 'string', secret: true, doc: 'The client secret, if the gateway gave you one; sent only when given.' },
  },
  grants: {
    // Ruling 3: client_id, code and redirect_uri are optional in the document but always sent when known.
    authorization_code: {
      ...TOKEN_ENDPOINT,
      fields: (o) => ({ grant_type: 'authorization_code', client_id: o.clientId, code: o.code, redirect_uri: o.redirectUri, client_secret: o.clientSecret }),
    },
    refresh_token: {
      ...TOKEN_ENDPOINT,
      fields: (o) => ({ grant_type: 'refresh_token', refresh_token: o.refreshToken, client_id: o.clientId, client_secret: o.clientSecret }),
    },
  },
  redirectUri: 'optional',
  // Ruling 5: the refresh answer carries no refresh token; the one sent stays valid.
  keepsRefreshToken: true,
});

/** Options of {@link createFantemClient}. */
export type FantemClientOptions = Parameters<typeof createFantemClient>[0];

/** A client of the Fantem gateway's token endpoint (Alexa account linking). */
export type FantemClient = ReturnType<typeof createFantemClient>;

/** What {@link FantemClient.exchangeCode} exchanges: the code, and the redirect URI it was issued for when known. */
export type FantemCodeExchange = Parameters<FantemClient['exchangeCode']>[0];
