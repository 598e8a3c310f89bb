import { defineVendor } from '@token-clients/core/vendor-kit';
import type { paths } from './generated/schema.js';
import { readTokenResponse, VENDOR } from './read-token-response.js';

/** WeCom's API server, and so the default `baseUrl`. */
export const WECOM_DEFAULT_BASE_URL = 'https://qyapi.weixin.qq.com';

/**
 * WeCom's renewal window: none. It hands back the current token until it expires (ruling 1), so its providers
 * serve the token to its expiry and ask then — refreshing ahead would only get the same token back.
 */
export const WECOM_RENEWAL_WINDOW_MS = 0;

/**
 * Creates a WeCom (企业微信) client for one application of a corp: `clientId` is the corpid (企业ID),
 * `clientSecret` the application's secret, `application` its AgentId. `tokenProvider()` stores the token under the
 * corpid and `application` (one token per application, ruling 2) and serves it to its expiry; `api` is typed by
 * the spec — add `bearerAuth(provider, WECOM_API_AUTH)` to it.
 *
 * @example
 * const wecom = createWecomClient({ clientId: process.env.WECOM_CORPID!, clientSecret: process.env.WECOM_SECRET!, application: '1000002' });
 * const accessToken = await wecom.tokenProvider().getAccessToken();
 */
export const createWecomClient = defineVendor<paths>()({
  name: VENDOR,
  baseUrl: { default: WECOM_DEFAULT_BASE_URL },
  options: {
    clientSecret: { type: 'string', required: true, secret: true, doc: "The application's secret (应用的凭证密钥, corpsecret); travels in the query string." },
    application: {
      type: 'string',
      required: true,
      doc: "The application the secret belongs to: its AgentId, or a name of yours for a corp-level secret. Keys the store: one token per application. Not a secret.",
    },
  },
  grants: {
    client_credentials: {
      method: 'get', path: '/cgi-bin/gettoken', send: 'query',
      fields: (o) => ({ corpid: o.clientId, corpsecret: o.clientSecret }),
      secret: ['corpsecret'], read: readTokenResponse,
    },
  },
  storeKey: (key, o) => `${key}:app:${o['application']}`,
  providerDefaults: { renewalWindowMs: WECOM_RENEWAL_WINDOW_MS },
});

/** Options of {@link createWecomClient}: `clientId` (corpid), `clientSecret`, `application`, and the common ones. */
export type WecomClientOptions = Parameters<typeof createWecomClient>[0];

/** A client of WeCom's token endpoint, and of its APIs through `api`. */
export type WecomClient = ReturnType<typeof createWecomClient>;
