import { defineVendor } from '@token-clients/core/vendor-kit';
import type { paths } from './generated/schema.js';
import { readTokenResponse, VENDOR } from './read-token-response.js';

/** The production server the WPS document gives, and so the default. */
export const WPS_DEFAULT_BASE_URL = 'https://openapi.wps.cn';

/** Every grant's request: the urlencoded body the endpoint takes (and so what `api.POST` sends by default). */
const TOKEN_ENDPOINT = { method: 'post', path: '/oauth2/token', send: 'form', secret: ['client_secret', 'code', 'refresh_token'], read: readTokenResponse } as const;

/**
 * Creates a WPS 365 client: user tokens with `exchangeCode` / `refresh` / `userTokenProvider` (a rejected refresh
 * token ends in `reauthorization_required`, never in an app token), the app token with `requestToken` / `tokenProvider`.
 *
 * @example
 * const wps = createWpsClient({ clientId: process.env.WPS_APP_ID!, clientSecret: process.env.WPS_APP_KEY! });
 * const user = await wps.exchangeCode({ code, redirectUri: 'https://app.example/wps/callback' });
 * const later = await wps.refresh(user.refreshToken!);
 */
export const createWpsClient = defineVendor<paths>()({
  name: VENDOR,
  baseUrl: { default: WPS_DEFAULT_BASE_URL },
  options: { clientSecret: { type: 'string', required: true, secret: true, doc: "The application's APPKEY; travels in the form body." } },
  grants: {
    authorization_code: {
      ...TOKEN_ENDPOINT,
      fields: (o) => ({ grant_type: 'authorization_code', client_id: o.clientId, client_secret: o.clientSecret, code: o.code, redirect_uri: o.redirectUri }),
    },
    refresh_token: {
      ...TOKEN_ENDPOINT,
      fields: (o) => ({ grant_type: 'refresh_token', client_id: o.clientId, client_secret: o.clientSecret, refresh_token: o.refreshToken }),
    },
    client_credentials: { ...TOKEN_ENDPOINT, fields: (o) => ({ grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.clientSecret }) },
  },
  // Ruling 4: without a new refresh token in the answer, the one sent stays in use.
  keepsRefreshToken: true,
});

/** Options of {@link createWpsClient}. */
export type WpsClientOptions = Parameters<typeof createWpsClient>[0];

/** A client of the WPS 365 open platform's token endpoint. Each call is one uncached request. */
export type WpsClient = ReturnType<typeof createWpsClient>;

/** What the authorization redirect handed the application: the code and the redirect URI it was issued for. */
export type WpsAuthorizationCode = Parameters<WpsClient['exchangeCode']>[0];
