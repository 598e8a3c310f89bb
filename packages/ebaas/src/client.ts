import { defineVendor } from '@token-clients/core/vendor-kit';
import type { paths } from './generated/schema.js';
import { readTokenResponse, VENDOR } from './read-token-response.js';

/** The development server (开发) the ebaas document lists. */
export const EBAAS_DEV_BASE_URL = 'https://dev-etc.ebaas.com';

/** The test server (测试) the ebaas document lists. */
export const EBAAS_TEST_BASE_URL = 'https://test-etc.ebaas.com';

/**
 * Creates an ebaas ETC platform client. `baseUrl` is required: the document gives no production host (use
 * {@link EBAAS_DEV_BASE_URL} or {@link EBAAS_TEST_BASE_URL} for the documented environments). There is no refresh
 * token: a new token is simply requested again, ahead of expiry by `tokenProvider()`.
 *
 * @example
 * const ebaas = createEbaasClient({ clientId: process.env.EBAAS_CLIENT_ID!, clientSecret: process.env.EBAAS_CLIENT_SECRET!, baseUrl: EBAAS_TEST_BASE_URL });
 * const token = await ebaas.requestToken();
 */
export const createEbaasClient = defineVendor<paths>()({
  name: VENDOR,
  // No default: production has no documented host, so a forgotten baseUrl fails at creation, not at the first call.
  baseUrl: { required: true },
  options: { clientSecret: { type: 'string', required: true, secret: true, doc: 'The client secret (客户端密码); travels in the query string.' } },
  grants: {
    client_credentials: {
      method: 'get', path: '/oauth/getAccessToken', send: 'query',
      fields: (o) => ({ client_id: o.clientId, client_secret: o.clientSecret }),
      secret: ['client_secret'], read: readTokenResponse,
    },
  },
});

/** Options of {@link createEbaasClient}. */
export type EbaasClientOptions = Parameters<typeof createEbaasClient>[0];

/** A client of the ebaas ETC platform's token endpoint. */
export type EbaasClient = ReturnType<typeof createEbaasClient>;
