import { defineVendor } from '@token-clients/core/vendor-kit';
import type { paths } from './generated/schema.js';
import { readTokenResponse, VENDOR } from './read-token-response.js';

/** The only server the dushu document gives: its test environment, `environment: 'test'` (never a default). */
export const DUSHU_TEST_BASE_URL = 'https://open-platform-test.dushu.io';

/** @deprecated The test server, which was the silent default: pass `environment: 'test'` or a `baseUrl`. */
export const DUSHU_DEFAULT_BASE_URL = DUSHU_TEST_BASE_URL;

/**
 * Creates a dushu (Fandeng Reading) client. Give every provider of one app the same `store` (a `RedisStore` for a
 * fleet): dushu limits token requests per day, and its document asks for one central place that refreshes.
 *
 * @example
 * const dushu = createDushuClient({ clientId: process.env.DUSHU_APP_ID!, clientSecret: process.env.DUSHU_APP_SECRET!, environment: 'test' });
 * const token = await dushu.requestToken();
 */
export const createDushuClient = defineVendor<paths>()({
  name: VENDOR,
  // The document names its test server only: no default, so production traffic never goes to it unasked.
  baseUrl: { environments: { test: DUSHU_TEST_BASE_URL } },
  options: { clientSecret: { type: 'string', required: true, secret: true, doc: 'The appSecret the vendor issued; travels in the query string.' } },
  grants: {
    client_credentials: {
      method: 'post', path: '/oauth/token', send: 'query',
      fields: (o) => ({ grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.clientSecret }),
      secret: ['client_secret'], read: readTokenResponse,
    },
  },
});

/** Options of {@link createDushuClient}: `clientId`, `clientSecret`, and `baseUrl` or `environment: 'test'`. */
export type DushuClientOptions = Parameters<typeof createDushuClient>[0];

/** A client of the dushu open platform's token endpoint. */
export type DushuClient = ReturnType<typeof createDushuClient>;
