import type { Clock, ProviderSettings, TokenProvider, TokenSet } from '@token-clients/core';
import type { FakeServer } from './fake-server.js';

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
  /**
   * Gets ready to send one request with `grant` (`client_credentials`, `authorization_code`, `refresh_token`, or
   * `user-provider`: a user provider refreshing an expired token) and resolves with the call that sends it; the
   * error table's replay injects the answer in between. Without `grant`, the call is {@link VendorSession.call}.
   */
  prepare(grant?: string): Promise<() => Promise<unknown>>;
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

/** A vendor package's module, as the conformance suites load it (`packages/<vendor>/src/index.ts`). */
export type VendorModule = Record<string, any>;

/**
 * How the conformance suites (fault matrix, secrets, transport) drive one vendor. Each fake in
 * `src/vendors/<vendor>.ts` exports its case as `conformanceCase`; the suites find every fake there, so a
 * vendor is in them the moment its fake exists. The vendor's module is handed in (testkit does not depend on
 * vendor packages: they depend on it).
 */
export interface ConformanceCase {
  /** The vendor's name: its package is `@token-clients/<vendor>`, its spec `specs/<vendor>.yaml`. */
  vendor: string;
  /** Starts the fake on the test's clock and makes a session with the vendor's client. */
  start(now: () => number, vendor: VendorModule): Promise<VendorSession>;
  breakage: Breakage;
}

/**
 * A client secret with the characters that change under percent-, form- and base64 encoding, so that a secret
 * leaking in any encoding is caught, not only a verbatim one.
 */
export const conformanceSecret = (vendor: string): string => `${vendor}/secret+5f1c 9a7e==`;

/** The fake of a vendor whose one grant is client credentials, as far as {@link clientCredentialsSession} uses it. */
export interface ClientCredentialsFake extends FakeServer {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Access tokens issued, in order. */
  readonly issued: string[];
}

/** A vendor client with `requestToken()` and `tokenProvider()`, made from `{ clientId, clientSecret, baseUrl, … }`. */
export type CreateClientCredentialsClient = (options: object) => {
  requestToken(): Promise<TokenSet>;
  tokenProvider(settings?: ProviderSettings): TokenProvider;
};

/**
 * The session of a vendor whose one grant is client credentials and whose client takes `clientId`, `clientSecret`
 * and `baseUrl` (dushu, ebaas, and what `pnpm new-vendor` scaffolds): its clients read the test's clock, and its
 * secrets are the client secret and every token the fake issued.
 */
export function clientCredentialsSession(
  vendor: string,
  fake: ClientCredentialsFake,
  createClient: CreateClientCredentialsClient,
  now: () => number,
): VendorSession {
  const make = (options: CommonOptions = {}) =>
    createClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now }, ...options });
  return {
    fake,
    secrets: () => [fake.clientSecret, ...fake.issued],
    call: (options) => make(options).requestToken(),
    provider: async (options, settings) => make(options).tokenProvider(settings),
    clients: (options) => [make(options)],
    async prepare(grant = 'client_credentials') {
      if (grant !== 'client_credentials') throw new Error(`${vendor} has no grant ${grant}`);
      return () => make().requestToken();
    },
  };
}
