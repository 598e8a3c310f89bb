import { createAkubelaClient } from '@token-clients/akubela';
import type { ProviderSettings, TokenProvider, TokenSet, UserProviderSettings } from '@token-clients/core';
import { createDushuClient } from '@token-clients/dushu';
import { createEbaasClient } from '@token-clients/ebaas';
import { createFantemClient } from '@token-clients/fantem';
import { createWechatClient } from '@token-clients/wechat';
import { createWecomClient } from '@token-clients/wecom';
import { createWpsClient } from '@token-clients/wps';

/** The kind of one option's value in the config. */
export type OptionKind = 'string' | 'number';

/** What the service can do with one app of a vendor, built from its options. */
export interface VendorApp {
  /** The app's own token (client credentials). Absent for vendors that have none (fantem). */
  tokenProvider?(settings: ProviderSettings): TokenProvider;
  /** Authorization-code vendors: trades a user's code for their first tokens. */
  exchangeCode?(code: string, redirectUri: string | undefined): Promise<TokenSet>;
  /** Authorization-code vendors: one user's tokens, cached and refreshed. */
  userTokenProvider?(settings: UserProviderSettings): TokenProvider;
}

/** One vendor as the config sees it: which options it takes, which are secrets, and how its client is made. */
export interface VendorEntry {
  /** Every option the vendor's client factory takes from a config, with its kind. */
  readonly options: Readonly<Record<string, OptionKind>>;
  /** Options that must be given. */
  readonly required: readonly string[];
  /** Options that are secrets: refused when written literally in a file others can read. */
  readonly secrets: readonly string[];
  /** Whether the app has a token of its own (`GET /v1/apps/{app}/token`). */
  readonly appToken: boolean;
  /** Whether users authorise it with a code (`/v1/apps/{app}/users/{subject}/…`). */
  readonly userTokens: boolean;
  /** Whether a code exchange must name the redirect URI the code was issued for. */
  readonly requiresRedirectUri?: boolean;
  /** Makes the vendor's client from validated options. Throws the vendor's own `invalid_configuration`. */
  create(options: Record<string, unknown>): VendorApp;
}

const COMMON = { clientId: 'string', clientSecret: 'string', baseUrl: 'string', timeoutMs: 'number' } as const;

// Each factory is called with exactly the options its vendor documents; the casts only narrow `unknown`
// that validate-config.ts has already checked against `options` above.
type Options<T extends (options: never) => unknown> = Parameters<T>[0];

/**
 * The vendors, by the name a config's `vendor` field uses. A sixth vendor is one more entry here, on its
 * package's public factory — the service has no vendor logic of its own.
 */
export const VENDORS: Readonly<Record<string, VendorEntry>> = {
  dushu: {
    options: COMMON,
    required: ['clientId', 'clientSecret'],
    secrets: ['clientSecret'],
    appToken: true,
    userTokens: false,
    create: (options) => {
      const client = createDushuClient(options as unknown as Options<typeof createDushuClient>);
      return { tokenProvider: (settings) => client.tokenProvider(settings) };
    },
  },
  ebaas: {
    options: COMMON,
    required: ['clientId', 'clientSecret', 'baseUrl'],
    secrets: ['clientSecret'],
    appToken: true,
    userTokens: false,
    create: (options) => {
      const client = createEbaasClient(options as unknown as Options<typeof createEbaasClient>);
      return { tokenProvider: (settings) => client.tokenProvider(settings) };
    },
  },
  akubela: {
    options: { ...COMMON, scope: 'string', expiresIn: 'number' },
    required: ['clientId', 'clientSecret'],
    secrets: ['clientSecret'],
    appToken: true,
    userTokens: false,
    create: (options) => {
      const client = createAkubelaClient(options as unknown as Options<typeof createAkubelaClient>);
      return { tokenProvider: (settings) => client.tokenProvider(settings) };
    },
  },
  wps: {
    options: COMMON,
    required: ['clientId', 'clientSecret'],
    secrets: ['clientSecret'],
    appToken: true,
    userTokens: true,
    requiresRedirectUri: true,
    create: (options) => {
      const client = createWpsClient(options as unknown as Options<typeof createWpsClient>);
      return {
        tokenProvider: (settings) => client.tokenProvider(settings),
        // The route has checked that redirect_uri is present (requiresRedirectUri).
        exchangeCode: (code, redirectUri) => client.exchangeCode({ code, redirectUri: redirectUri as string }),
        userTokenProvider: (settings) => client.userTokenProvider(settings as Parameters<typeof client.userTokenProvider>[0]),
      };
    },
  },
  fantem: {
    options: COMMON,
    required: ['clientId'],
    secrets: ['clientSecret'],
    appToken: false,
    userTokens: true,
    create: (options) => {
      const client = createFantemClient(options as unknown as Options<typeof createFantemClient>);
      return {
        exchangeCode: (code, redirectUri) => client.exchangeCode(redirectUri === undefined ? { code } : { code, redirectUri }),
        userTokenProvider: (settings) => client.userTokenProvider(settings as Parameters<typeof client.userTokenProvider>[0]),
      };
    },
  },
  wechat: {
    // `endpoint`: 'stable' (default) or 'classic'; the client checks the value.
    options: { ...COMMON, endpoint: 'string' },
    required: ['clientId', 'clientSecret'],
    secrets: ['clientSecret'],
    appToken: true,
    userTokens: false,
    create: (options) => {
      const client = createWechatClient(options as unknown as Options<typeof createWechatClient>);
      return { tokenProvider: (settings) => client.tokenProvider(settings) };
    },
  },
  wecom: {
    // `application`: the AgentId the secret belongs to — one token per application of a corp.
    options: { ...COMMON, application: 'string' },
    required: ['clientId', 'clientSecret', 'application'],
    secrets: ['clientSecret'],
    appToken: true,
    userTokens: false,
    create: (options) => {
      const client = createWecomClient(options as unknown as Options<typeof createWecomClient>);
      return { tokenProvider: (settings) => client.tokenProvider(settings) };
    },
  },
};
