import type { RequestOptions } from '@token-clients/core';
import { defineVendor } from '@token-clients/core/vendor-kit';
import type { paths } from './generated/schema.js';
import { readTokenResponse, VENDOR, type WechatEndpoint } from './read-token-response.js';

/** WeChat's API server, and so the default `baseUrl`. */
export const WECHAT_DEFAULT_BASE_URL = 'https://api.weixin.qq.com';

/**
 * The stable endpoint's renewal window: it issues a new token only in the last 5 minutes of the current one, and
 * hands the current one back before (ruling 1). The providers refresh ahead inside it.
 */
export const WECHAT_RENEWAL_WINDOW_MS = 5 * 60_000;

/** The classic endpoint's calls a day per account, the providers' default `dailyBudget` there (ruling 5). */
export const WECHAT_CLASSIC_DAILY_LIMIT = 2000;

const ENDPOINTS = ['stable', 'classic'] as const satisfies readonly WechatEndpoint[];

/** The definition; `forceRefresh` makes a second one whose stable requests carry `force_refresh: true`. */
const wechatVendor = (forceRefresh: boolean) =>
  defineVendor<paths>()({
    name: VENDOR,
    baseUrl: { default: WECHAT_DEFAULT_BASE_URL },
    options: {
      clientSecret: { type: 'string', required: true, secret: true, doc: "The account's AppSecret; in the JSON body (stable) or the query string (classic)." },
      endpoint: {
        type: 'string',
        values: ENDPOINTS,
        default: 'stable',
        doc: "`stable`: POST /cgi-bin/stable_token, the same token until its last 5 minutes. `classic`: GET /cgi-bin/token, a new token every call, limited per day.",
      },
    },
    grants: {
      client_credentials: (o) =>
        o['endpoint'] === 'classic'
          ? {
              method: 'get', path: '/cgi-bin/token', send: 'query',
              fields: (i) => ({ grant_type: 'client_credential', appid: i.clientId, secret: i.clientSecret }),
              secret: ['secret'], read: (answer) => readTokenResponse(answer, { grant: 'client_credentials', endpoint: 'classic' }),
            }
          : {
              method: 'post', path: '/cgi-bin/stable_token', send: 'json',
              fields: (i) => ({ grant_type: 'client_credential', appid: i.clientId, secret: i.clientSecret, ...(forceRefresh ? { force_refresh: true } : {}) }),
              secret: ['secret'], read: (answer) => readTokenResponse(answer, { grant: 'client_credentials', endpoint: 'stable' }),
            },
    },
    // The two endpoints' tokens are isolated (a classic call does not end a stable token): two keys.
    storeKey: (key, o) => (o['endpoint'] === 'classic' ? `${key}:classic` : key),
    providerDefaults: (o) => (o['endpoint'] === 'classic' ? { dailyBudget: WECHAT_CLASSIC_DAILY_LIMIT } : { renewalWindowMs: WECHAT_RENEWAL_WINDOW_MS }),
  });

const normal = wechatVendor(false);
const forced = wechatVendor(true);

/** Options of one {@link WechatClient.requestToken} call. */
export interface WechatRequestOptions extends RequestOptions {
  /**
   * Stable endpoint only: `force_refresh`, for a **leaked** token. Ends the previous token for every process of
   * the app (20 a day, at least 30 s apart; ruling 2). Providers never send it; after a forced refresh, call
   * `invalidate()` on your providers so they pick the new token up.
   */
  forceRefresh?: boolean;
}

/** Options of {@link createWechatClient}: `clientId` (AppID), `clientSecret` (AppSecret), `endpoint`, and the common ones. */
export type WechatClientOptions = Parameters<typeof normal>[0];

/** A client of WeChat's token endpoints, and of its APIs through `api` (add `bearerAuth(provider, WECHAT_API_AUTH)`). */
export type WechatClient = Omit<ReturnType<typeof normal>, 'requestToken'> & {
  /** One uncached token request. Prefer `tokenProvider()`, which never forces a refresh. */
  requestToken(options?: WechatRequestOptions): ReturnType<ReturnType<typeof normal>['requestToken']>;
};

/**
 * Creates a WeChat (Official Account or Mini Program) client. `tokenProvider()` refreshes inside the stable
 * endpoint's 5-minute renewal window (with `endpoint: 'classic'`, it counts a `dailyBudget` of 2000).
 *
 * @example
 * const wechat = createWechatClient({ clientId: process.env.WECHAT_APPID!, clientSecret: process.env.WECHAT_APPSECRET! });
 * const accessToken = await wechat.tokenProvider().getAccessToken();
 */
export const createWechatClient = Object.assign(
  (options: WechatClientOptions): WechatClient => {
    const client = normal(options);
    const { requestToken: plain } = client;
    let forcing: ReturnType<typeof forced> | undefined;
    const requestToken = ({ forceRefresh, ...request }: WechatRequestOptions = {}) =>
      forceRefresh === true && options.endpoint !== 'classic' ? (forcing ??= forced(options)).requestToken(request) : plain(request);
    // The client is a redacted view (no secret in inspect or JSON): its requestToken is replaced in place.
    return Object.defineProperty(client, 'requestToken', { value: requestToken, enumerable: false }) as WechatClient;
  },
  { vendor: normal.vendor },
);
