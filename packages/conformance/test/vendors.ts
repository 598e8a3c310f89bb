/**
 * The five vendors described alike, so that one test can run against all of them: how to start the fake,
 * create a client against it, make one raw token call, make a provider, and what each vendor's answer looks
 * like when it is broken in the ways real servers break.
 */
import { createAkubelaClient } from '@token-clients/akubela';
import type { Clock, ProviderSettings, TokenProvider, TokenSet } from '@token-clients/core';
import { createDushuClient } from '@token-clients/dushu';
import { createEbaasClient } from '@token-clients/ebaas';
import { createFantemClient } from '@token-clients/fantem';
import { startAkubelaFake, startDushuFake, startEbaasFake, startFantemFake, startWpsFake, type FakeServer } from '@token-clients/testkit';
import { createWpsClient } from '@token-clients/wps';

/** Client options every vendor takes. */
export interface CommonOptions {
  baseUrl?: string;
  timeoutMs?: number;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** One vendor, ready for a test. */
export interface VendorSession {
  fake: FakeServer;
  /** Every secret this session sends or receives that must never be shown. */
  secrets(): string[];
  /**
   * One uncached token call (requestToken, or refresh for vendors that only have user tokens). Every client a
   * session makes reads the session's clock unless `options.clock` says otherwise: a client on the real clock
   * would compute expiries from today's date, which the test's clock does not follow.
   */
  call(options?: CommonOptions): Promise<TokenSet>;
  /** A provider holding this vendor's token, for cache and refresh-ahead checks. */
  provider(options?: CommonOptions, settings?: ProviderSettings): Promise<TokenProvider>;
  /** Things whose inspect/JSON/String output must not show a secret. */
  clients(options?: CommonOptions): object[];
}

/** The vendor's normal JSON answer, broken in one way. */
export interface Breakage {
  wrongTypes(json: any): unknown;
  missingToken(json: any): unknown;
  lifetime(json: any, seconds: number): unknown;
  /** The normal answer with its access token replaced by `value`. */
  token(json: any, value: string): unknown;
  /** The vendor's own way of saying no (`success: false`, a non-zero code, …) and the code it must give. */
  failure: { change(json: any): unknown; status?: number; code: string };
}

/** A vendor of the matrix. */
export interface VendorCase {
  vendor: string;
  start(now: () => number): Promise<VendorSession>;
  breakage: Breakage;
}

/**
 * A client secret with the characters that change under percent-, form- and base64 encoding, so that a secret
 * leaking in any encoding is caught, not only a verbatim one.
 */
export const SECRET = (vendor: string) => `${vendor}/secret+5f1c 9a7e==`;

export const VENDORS: VendorCase[] = [
  {
    vendor: 'dushu',
    async start(now) {
      const fake = await startDushuFake({ now, clientSecret: SECRET('dushu') });
      const make = (o: CommonOptions = {}) => createDushuClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now }, ...o });
      return {
        fake,
        secrets: () => [fake.clientSecret, ...fake.issued],
        call: (o) => make(o).requestToken(),
        provider: async (o, settings) => make(o).tokenProvider(settings),
        clients: (o) => [make(o)],
      };
    },
    breakage: {
      wrongTypes: (json) => ({ ...json, value: ['not', 'a', 'string'], expiresIn: { seconds: 7199 } }),
      missingToken: ({ value, ...rest }) => rest,
      lifetime: (json, seconds) => ({ ...json, expiresIn: seconds }),
      token: (json, value) => ({ ...json, value }),
      failure: { change: () => ({ error: 'invalid_client', error_description: 'Bad client credentials' }), code: 'invalid_client' },
    },
  },
  {
    vendor: 'ebaas',
    async start(now) {
      const fake = await startEbaasFake({ now, clientSecret: SECRET('ebaas') });
      const make = (o: CommonOptions = {}) => createEbaasClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now }, ...o });
      return {
        fake,
        secrets: () => [fake.clientSecret, ...fake.issued],
        call: (o) => make(o).requestToken(),
        provider: async (o, settings) => make(o).tokenProvider(settings),
        clients: (o) => [make(o)],
      };
    },
    breakage: {
      wrongTypes: (json) => ({ ...json, data: { access_token: 12345, expired: 1623998606 } }),
      missingToken: (json) => ({ ...json, data: { expired: json.data.expired } }),
      // `expired` is absolute: a lifetime of n seconds is the receive time plus n, in UTC+08:00.
      lifetime: (json, seconds) => ({ ...json, data: { ...json.data, expired: shiftEbaasTime(json.data.expired, seconds - 7201) } }),
      token: (json, value) => ({ ...json, data: { ...json.data, access_token: value } }),
      failure: { change: (json) => ({ ...json, code: '403007', msg: 'client_secret不正确', data: null }), code: 'invalid_client' },
    },
  },
  {
    vendor: 'wps',
    async start(now) {
      const fake = await startWpsFake({ now, clientSecret: SECRET('wps') });
      const make = (o: CommonOptions = {}) => createWpsClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now }, ...o });
      let userTokens: Awaited<ReturnType<ReturnType<typeof make>['exchangeCode']>> | undefined;
      const codes: string[] = [];
      const issueCode = () => {
        codes.push(fake.issueCode({ redirectUri: 'https://app.example/cb' }));
        return codes.at(-1)!;
      };
      return {
        fake,
        secrets: () => [fake.clientSecret, ...codes, ...fake.issued, ...fake.issuedRefreshTokens],
        call: (o) => make(o).requestToken(),
        async provider(o, settings) {
          const client = make(o);
          userTokens ??= await client.exchangeCode({ code: issueCode(), redirectUri: 'https://app.example/cb' });
          return client.userTokenProvider({ ...settings, subject: 'user-1', initial: userTokens });
        },
        clients: (o) => [make(o)],
      };
    },
    breakage: {
      wrongTypes: (json) => ({ ...json, access_token: true, expires_in: '2 hours' }),
      missingToken: ({ access_token, ...rest }) => rest,
      lifetime: (json, seconds) => ({ ...json, expires_in: seconds }),
      token: (json, value) => ({ ...json, access_token: value }),
      failure: { change: () => ({ code: 40001, msg: 'invalid client' }), code: 'invalid_client' },
    },
  },
  {
    vendor: 'akubela',
    async start(now) {
      const fake = await startAkubelaFake({ now, clientSecret: SECRET('akubela') });
      const make = (o: CommonOptions = {}) => createAkubelaClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now }, ...o });
      return {
        fake,
        secrets: () => [fake.clientSecret, ...fake.issued, ...fake.issuedRefreshTokens],
        call: (o) => make(o).requestToken(),
        provider: async (o, settings) => make(o).tokenProvider(settings),
        clients: (o) => [make(o)],
      };
    },
    breakage: {
      wrongTypes: (json) => ({ ...json, result: { ...json.result, access_token: 7, expires_in: [3600] } }),
      missingToken: (json) => ({ ...json, result: { ...json.result, access_token: undefined } }),
      lifetime: (json, seconds) => ({ ...json, result: { ...json.result, expires_in: seconds } }),
      token: (json, value) => ({ ...json, result: { ...json.result, access_token: value } }),
      failure: { change: (json) => ({ success: false, timestamp: json.timestamp, error: 'invalid_client', error_description: 'bad client' }), code: 'invalid_client' },
    },
  },
  {
    vendor: 'fantem',
    async start(now) {
      const fake = await startFantemFake({ now });
      const clientSecret = SECRET('fantem');
      const make = (o: CommonOptions = {}) => createFantemClient({ clientId: fake.clientId, clientSecret, baseUrl: fake.url, clock: { now }, ...o });
      let linked: Awaited<ReturnType<ReturnType<typeof make>['exchangeCode']>> | undefined;
      const codes: string[] = [];
      const link = async (o?: CommonOptions) => {
        codes.push(fake.issueCode({ redirectUri: 'https://layla.example/cb' }));
        return (linked ??= await make({ ...o, timeoutMs: 5_000 }).exchangeCode({ code: codes.at(-1)!, redirectUri: 'https://layla.example/cb' }));
      };
      return {
        fake,
        secrets: () => [clientSecret, ...codes, ...fake.issued.flatMap((t) => [t.accessToken, t.refreshToken])],
        // Fantem has only user tokens: the raw call is a refresh with a linked account's refresh token.
        call: async (o) => make(o).refresh((await link()).refreshToken!),
        provider: async (o, settings) => make(o).userTokenProvider({ ...settings, subject: 'alexa-user', initial: await link() }),
        clients: (o) => [make(o)],
      };
    },
    breakage: {
      wrongTypes: (json) => ({ ...json, access_token: null, expires_in: 'forever' }),
      missingToken: ({ access_token, ...rest }) => rest,
      lifetime: (json, seconds) => ({ ...json, expires_in: seconds }),
      token: (json, value) => ({ ...json, access_token: value }),
      // Fantem documents only a bare 400; with a refresh token sent it means that token is dead (ruling 6).
      failure: { change: () => 'refreshToken不存在', status: 400, code: 'invalid_grant' },
    },
  },
];

/** Moves an ebaas `YYYY-MM-DD HH:mm:ss` (UTC+08:00) time by `seconds`. */
function shiftEbaasTime(value: string, seconds: number): string {
  const utc8 = Date.parse(`${value.replace(' ', 'T')}+08:00`) + seconds * 1000;
  return new Date(utc8 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
