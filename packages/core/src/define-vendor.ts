import createClient, { type Client, type ClientPathsWithMethod } from 'openapi-fetch';
import { CHANNELS, type TokenRequestContext, type TokenRequestResult } from './diagnostics.js';
import { keepRefreshToken } from './keep-refresh-token.js';
import { withRedactedView } from './redacted-view.js';
import { tracingChannel } from './runtime-builtins.js';
import type { TokenEndpointResponse } from './token-answer.js';
import { fetchTokenAnswer, formUrlEncoded, multipartBody, vendorFetch } from './transport.js';
import { createTokenProvider, type TokenProvider, type TokenProviderOptions } from './token-provider.js';
import type { TokenSet } from './contract.js';
import {
  COMMON_OPTIONS,
  optionProblem,
  requireArgument,
  resolveOptions,
  type BaseUrlOptions,
  type BaseUrlPolicy,
  type ClientOptions,
  type OptionSpec,
  type RequestOptions,
  type ResolvedOptions,
  type VendorOptionValues,
} from './vendor-options.js';
import { TokenError } from './token-error.js';

/** The grants a token endpoint may offer; each gives the client its calls. */
export type GrantName = 'client_credentials' | 'authorization_code' | 'refresh_token';

type Method = 'get' | 'post' | 'put' | 'patch';

/** What a grant's fields are made from: the client's options (its own under their names) and the call's arguments. */
export type GrantInput<O extends Record<string, OptionSpec>> = { clientId: string } & VendorOptionValues<O> & {
  /** `exchangeCode`'s code and redirect URI. */
  code?: string;
  redirectUri?: string;
  /** `refresh`'s refresh token. */
  refreshToken?: string;
};

/** One grant of a vendor's token endpoint: where it goes, how its fields travel, which are secret, how the answer reads. */
export type GrantSpec<Paths extends {}, O extends Record<string, OptionSpec>, Raw, G extends GrantName = GrantName> = {
  [M in Method]: {
    method: M;
    /** Typed against the generated `paths`: a spec that drops the path (or the method) fails the type-check. */
    path: ClientPathsWithMethod<Client<Paths>, M>;
  };
}[Method] & {
  /** Where the fields go: the query string, or a `form` (urlencoded), `multipart` or `json` body. */
  send: 'query' | 'form' | 'multipart' | 'json';
  /** `clientId` and `clientSecret` go in an HTTP Basic header (RFC 6749 §2.3.1) rather than among the fields. */
  basic?: boolean;
  /** Headers the vendor asks for beyond the body's `Content-Type` (`Accept: application/json`). */
  headers?: Readonly<Record<string, string>>;
  /** The request's fields; `undefined` ones are left out. */
  fields(input: GrantInput<O>): Record<string, string | number | boolean | undefined>;
  /** Fields whose values are secret: redacted, in any encoding, from every error (the answer's tokens always are). */
  secret: readonly string[];
  /** Turns the answer (any status) into a `TokenSet`, or throws the `TokenError` it amounts to. */
  read(answer: TokenEndpointResponse, request: { grant: G }): TokenSet<Raw>;
  /** Options a call may override (`requestToken({ scope })`), checked as at creation but as `invalid_request`. */
  perCall?: readonly (keyof O & string)[];
};

/** A grant, or the choice between endpoints an option makes (`(o) => (o.stable ? stableToken : classicToken)`). */
type GrantEntry<S> = S | ((options: ResolvedOptions) => S);

/** The grants of a definition. */
export interface Grants<Paths extends {}, O extends Record<string, OptionSpec>> {
  client_credentials?: GrantEntry<GrantSpec<Paths, O, any, 'client_credentials'>>;
  authorization_code?: GrantEntry<GrantSpec<Paths, O, any, 'authorization_code'>>;
  refresh_token?: GrantEntry<GrantSpec<Paths, O, any, 'refresh_token'>>;
}

/** What a vendor states once; `defineVendor` makes the client, its checks and its description from it. */
export interface VendorDefinition<
  Paths extends {},
  O extends Record<string, OptionSpec>,
  P extends BaseUrlPolicy,
  G extends Grants<Paths, O>,
  R extends 'required' | 'optional' = 'required',
> {
  /** The vendor's name (`dushu`): in errors, tracing, store keys; the client's inspect name is `DushuClient`. */
  name: string;
  baseUrl: P;
  /** The vendor's own options beyond {@link ClientOptions}. */
  options: O;
  grants: G;
  /** Whether `exchangeCode` needs the redirect URI the code was issued for (default), or sends it when given. */
  redirectUri?: R;
  /** A refresh answer without a new refresh token leaves the one sent in use (`refresh()` returns it). */
  keepsRefreshToken?: boolean;
  /** The client's own token is refreshed with its refresh token too (else `tokenProvider` only requests anew). */
  refreshesAppToken?: boolean;
  /** More in the store key than vendor, host and client id (akubela: one token per scope). */
  storeKey?: (key: string, options: ResolvedOptions) => string;
  /**
   * The vendor's own provider defaults (a renewal window, a daily budget), under whatever the caller sets; a
   * function when they depend on an option (WeChat's classic endpoint has a daily limit, its stable one a window).
   */
  providerDefaults?: ProviderSettings | ((options: ResolvedOptions) => ProviderSettings);
}

/** What a caller may set on `tokenProvider()` / `userTokenProvider()`: all but what the client supplies itself. */
export type ProviderSettings = Omit<TokenProviderOptions, 'key' | 'vendor' | 'requestToken' | 'refresh' | 'initial' | 'baseUrl'>;

/** What a caller sets on `userTokenProvider()`: one user's tokens. */
export interface UserProviderSettings<Raw = unknown> extends ProviderSettings {
  /** Whose tokens these are (your user id): part of the store key, so each user has their own. Not a secret. */
  subject: string;
  /** The token set from `exchangeCode`, used when the store has none for this user yet. */
  initial?: TokenSet<Raw>;
}

/** What `exchangeCode` takes: the code of the authorization redirect and the redirect URI it was issued for. */
export type CodeExchange<R = 'required'> = { code: string } & (R extends 'optional' ? { redirectUri?: string } : { redirectUri: string });

type Overrides<S, O extends Record<string, OptionSpec>> = S extends { perCall?: readonly (infer K)[] }
  ? Partial<Pick<VendorOptionValues<O>, K & keyof VendorOptionValues<O>>>
  : {};
type Spec<E> = E extends (...args: never) => infer S ? S : E;
/** The `raw` type of a definition's token sets: what its readers return. */
type RawOf<G> = { [K in keyof G]: Spec<G[K]> extends { read(...args: never): TokenSet<infer Raw> } ? Raw : never }[keyof G];

/** The client `defineVendor` makes: `api`, and the calls and providers its grants give. */
export type VendorClient<Paths extends {}, O extends Record<string, OptionSpec>, G, R, Raw = RawOf<G>> = {
  /** The openapi-fetch client, typed by the spec's generated `paths`, sending bodies as the token endpoint takes them. */
  readonly api: Client<Paths>;
} & (G extends { client_credentials: infer C }
  ? {
      /** One token request with the client credentials, uncached. Prefer `tokenProvider()`. */
      requestToken(options?: RequestOptions & Overrides<Spec<C>, O>): Promise<TokenSet<Raw>>;
      /** A cached, single-flight, refresh-ahead provider of this client's own token. */
      tokenProvider(settings?: ProviderSettings): TokenProvider<Raw>;
    }
  : {}) &
  (G extends { authorization_code: unknown }
    ? {
        /** Exchanges an authorization code for a user's tokens (one uncached request). */
        exchangeCode(exchange: CodeExchange<R>, options?: RequestOptions): Promise<TokenSet<Raw>>;
        /**
         * One user's tokens, cached and refreshed ahead of expiry; start it with `exchangeCode`'s result as
         * `initial`. A refused refresh token ends in `reauthorization_required`, never in an app token.
         */
        userTokenProvider(settings: UserProviderSettings<Raw>): TokenProvider<Raw>;
      }
    : {}) &
  (G extends { refresh_token: infer F }
    ? {
        /** Trades a refresh token for new tokens; the result's `refreshToken` is the one to keep. */
        refresh(refreshToken: string, options?: RequestOptions & Overrides<Spec<F>, O>): Promise<TokenSet<Raw>>;
      }
    : {});

/** The options a vendor's factory takes. */
export type VendorClientOptions<O extends Record<string, OptionSpec>, P> = Omit<ClientOptions, 'baseUrl'> & BaseUrlOptions<P> & VendorOptionValues<O>;

/** What the service and the docs read of a vendor: its options (common ones included) and its grants. */
export interface VendorDescription {
  name: string;
  /** Every option a config may set, with its type, doc, required and secret flags. */
  options: Readonly<Record<string, OptionSpec>>;
  grants: readonly GrantName[];
  baseUrl: BaseUrlPolicy;
  redirectUri?: 'required' | 'optional';
}

/** A vendor's factory (`createDushuClient`), carrying the description it was made from as `vendor`. */
export type VendorFactory<Paths extends {}, O extends Record<string, OptionSpec>, P, G, R> = ((
  options: VendorClientOptions<O, P>,
) => VendorClient<Paths, O, G, R>) & { readonly vendor: VendorDescription };

const requests = tracingChannel<TokenRequestResult, TokenRequestContext>(CHANNELS.request);

/**
 * Makes a vendor's client factory from its definition: core checks the options, makes every token request
 * (openapi-fetch on the vendor's `paths`, text parsing, timeout, refused redirects, size limit, redaction, the
 * `token-clients:request` channel) and builds `api`, the token calls, the providers and the redacted view.
 * Curried so that `paths` is given and everything else inferred.
 *
 * @example
 * export const createDushuClient = defineVendor<paths>()({
 *   name: 'dushu',
 *   baseUrl: { environments: { test: 'https://open-platform-test.dushu.io' } },
 *   options: { clientSecret: { type: 'string', required: true, secret: true, doc: 'The appSecret.' } },
 *   grants: {
 *     client_credentials: {
 *       method: 'post', path: '/oauth/token', send: 'query', secret: ['client_secret'], read: readTokenResponse,
 *       fields: (o) => ({ grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.clientSecret }),
 *     },
 *   },
 * });
 */
export function defineVendor<Paths extends {}>() {
  return <
    const O extends Record<string, OptionSpec>,
    const P extends BaseUrlPolicy,
    G extends Grants<Paths, O>,
    R extends 'required' | 'optional' = 'required',
  >(
    definition: VendorDefinition<Paths, O, P, G, R>,
  ): VendorFactory<Paths, O, P, G, R> => {
    const factory = (options: unknown) => createVendorClient(definition as never, options);
    return Object.assign(factory, { vendor: describe(definition as never) }) as never;
  };
}

type AnyDefinition = VendorDefinition<{}, Record<string, OptionSpec>, BaseUrlPolicy, Grants<{}, Record<string, OptionSpec>>, 'required' | 'optional'>;
type AnySpec = GrantSpec<{}, Record<string, OptionSpec>, unknown> & { method: Method; path: string };

function describe(definition: AnyDefinition): VendorDescription {
  const environments = 'environments' in definition.baseUrl ? definition.baseUrl.environments : undefined;
  return {
    name: definition.name,
    options: {
      clientId: COMMON_OPTIONS.clientId!,
      baseUrl: { ...COMMON_OPTIONS.baseUrl!, required: 'required' in definition.baseUrl },
      ...(environments ? { environment: { type: 'string', values: Object.keys(environments), doc: 'The vendor server its document names.' } } : {}),
      timeoutMs: COMMON_OPTIONS.timeoutMs!,
      ...definition.options,
    },
    grants: Object.keys(definition.grants) as GrantName[],
    baseUrl: definition.baseUrl,
    ...(definition.redirectUri ? { redirectUri: definition.redirectUri } : {}),
  };
}

/** How each `send` serialises a body; `api` gets the token endpoint's as its default. */
const SERIALIZERS: Record<AnySpec['send'], { headers?: Record<string, string>; bodySerializer?: (body: never) => BodyInit }> = {
  form: { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, bodySerializer: formUrlEncoded },
  multipart: { bodySerializer: multipartBody },
  json: {},
  query: {},
};

function createVendorClient(definition: AnyDefinition, given: unknown) {
  const vendor = definition.name;
  const resolved = resolveOptions(vendor, given, definition.baseUrl, definition.options);
  const specs = Object.fromEntries(
    Object.entries(definition.grants).map(([grant, entry]) => [grant, (typeof entry === 'function' ? entry(resolved) : entry) as AnySpec]),
  ) as Partial<Record<GrantName, AnySpec>>;
  // `api.POST` used directly sends the body as the token endpoint takes it, not openapi-fetch's default JSON.
  const bodied = Object.values(specs).find((spec) => spec.send !== 'query');
  const encoding = bodied?.send ?? 'json';
  const makeClient = () => createClient<never>({
    baseUrl: resolved.baseUrl,
    fetch: vendorFetch(resolved.fetch),
    ...(SERIALIZERS[encoding].headers ? { headers: SERIALIZERS[encoding].headers } : {}),
    // A Content-Type the caller gives wins: the spec may list more than one encoding (fantem's urlencoded form).
    bodySerializer: (body: unknown, headers?: Headers) => {
      const type = headers?.get?.('Content-Type') ?? '';
      if (body instanceof FormData) return body;
      if (type === 'application/x-www-form-urlencoded') return formUrlEncoded(body);
      return type.startsWith('application/json') || !SERIALIZERS[encoding].bodySerializer ? JSON.stringify(body) : SERIALIZERS[encoding].bodySerializer!(body as never);
    },
  });
  // Token requests have a client of their own: `api` is where callers add `bearerAuth`, and where a vendor's APIs
  // share its token endpoint's server (WeChat, WeCom, Feishu), a token request through it would wait for itself.
  const api = makeClient();
  const tokenApi = makeClient();

  async function call(grant: GrantName, where: string, args: Partial<GrantInput<{}>>, request: Record<string, unknown> = {}): Promise<TokenSet> {
    const spec = specs[grant]!;
    const input: Record<string, unknown> = { ...resolved, ...args };
    for (const name of spec.perCall ?? []) {
      if (request[name] === undefined) continue;
      const problem = optionProblem(definition.options[name]!, request[name]);
      if (problem) throw new TokenError({ code: 'invalid_request', vendor, message: `${vendor} ${where}: ${name} ${problem}` });
      input[name] = request[name];
    }
    return send(grant, spec, input as GrantInput<{}>, request.signal as AbortSignal | undefined);
  }

  async function send(grant: GrantName, spec: AnySpec, input: GrantInput<{}>, signal?: AbortSignal): Promise<TokenSet> {
    const fields = Object.fromEntries(Object.entries(spec.fields(input)).filter(([, value]) => value !== undefined));
    const secrets = spec.secret.map((name) => fields[name]);
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.basic) {
      const secret = (input as Record<string, unknown>).clientSecret as string;
      secrets.push(secret);
      headers.Authorization = `Basic ${btoa(`${encodeURIComponent(input.clientId)}:${encodeURIComponent(secret)}`)}`;
    }
    const run = async () => {
      const answer = await fetchTokenAnswer(
        { vendor, timeoutMs: resolved.timeoutMs, clock: resolved.clock, secrets: secrets.filter((v): v is string => typeof v === 'string' && v !== '') },
        (abort) =>
          tokenApi.request(spec.method as never, spec.path as never, {
            ...(spec.send === 'query' ? { params: { query: fields } } : { body: fields, ...SERIALIZERS[spec.send] }),
            headers: { ...(spec.send === 'query' ? {} : SERIALIZERS[spec.send].headers), ...headers },
            parseAs: 'text',
            signal: abort,
          } as never) as never,
        signal,
      );
      const requestId = answer.headers.get('x-request-id') ?? undefined;
      return { token: spec.read(answer, { grant }), status: answer.status, ...(requestId ? { requestId } : {}) };
    };
    if (!requests.hasSubscribers) return (await run()).token;
    const context: TokenRequestContext = { vendor, grant, url: `${resolved.baseUrl}${spec.path}`, method: spec.method.toUpperCase() };
    let token: TokenSet | undefined;
    // The trace's `result` is what tracePromise resolves with: the summary, never the token set itself.
    await requests.tracePromise(async () => {
      const done = await run();
      token = done.token;
      return { status: done.status, expiresAt: done.token.expiresAt, ...(done.requestId ? { requestId: done.requestId } : {}) };
    }, context);
    return token!;
  }

  const key = (subject?: string) => {
    const base = `${vendor}:${new URL(resolved.baseUrl).host}:${resolved.clientId}`;
    return subject === undefined ? (definition.storeKey?.(base, resolved) ?? base) : `${base}:user:${subject}`;
  };
  // The lease must outlive the holder's work — a refresh and, when the refresh token is refused, a second request —
  // or another process could take over mid-request and spend the same refresh token.
  const defaults = typeof definition.providerDefaults === 'function' ? definition.providerDefaults(resolved) : definition.providerDefaults;
  const common = { clock: resolved.clock, leaseMs: Math.max(30_000, 2 * resolved.timeoutMs + 5_000), ...defaults };
  const client: Record<string, unknown> = { api };

  const refresh = async (refreshToken: string, request?: Record<string, unknown>) => {
    requireArgument(vendor, refreshToken, 'refreshToken', 'refresh');
    const token = await call('refresh_token', 'refresh', { refreshToken }, request);
    return definition.keepsRefreshToken ? keepRefreshToken(token, refreshToken) : token;
  };
  if (specs.refresh_token) client.refresh = refresh;
  if (specs.authorization_code) {
    client.exchangeCode = async (exchange: Partial<CodeExchange<'optional'>>, request?: Record<string, unknown>) => {
      const { code, redirectUri } = exchange ?? {};
      requireArgument(vendor, code, 'code', 'exchangeCode');
      if (redirectUri !== undefined || definition.redirectUri !== 'optional') requireArgument(vendor, redirectUri, 'redirectUri', 'exchangeCode');
      return call('authorization_code', 'exchangeCode', { code, ...(redirectUri === undefined ? {} : { redirectUri }) }, request);
    };
    // No client-credentials fallback: a user's token must never be replaced by one that acts with other rights.
    client.userTokenProvider = (settings: UserProviderSettings) => {
      const { subject, initial, ...rest } = (settings ?? {}) as UserProviderSettings;
      const problem = optionProblem({ type: 'string', doc: '' }, subject);
      if (problem) throw new TokenError({ code: 'invalid_configuration', vendor, message: `create ${vendor} client: userTokenProvider subject ${problem}` });
      return createTokenProvider({
        ...common,
        ...rest,
        key: key(subject),
        vendor,
        baseUrl: resolved.baseUrl,
        ...(initial === undefined ? {} : { initial }),
        refresh: (token: string, signal: AbortSignal) => refresh(token, { signal }),
      });
    };
  }
  if (specs.client_credentials) {
    const requestToken = (request?: Record<string, unknown>) => call('client_credentials', 'requestToken', {}, request);
    client.requestToken = requestToken;
    client.tokenProvider = (settings: ProviderSettings = {}) =>
      createTokenProvider({
        ...common,
        ...settings,
        key: key(),
        vendor,
        baseUrl: resolved.baseUrl,
        requestToken: (signal: AbortSignal) => requestToken({ signal }),
        ...(definition.refreshesAppToken ? { refresh: (token: string, signal: AbortSignal) => refresh(token, { signal }) } : {}),
      });
  }
  // The view: who the client is, never a secret (secret options are left out, whatever they hold).
  const view: Record<string, unknown> = { vendor, clientId: resolved.clientId, baseUrl: resolved.baseUrl };
  for (const [name, spec] of Object.entries(definition.options)) if (!spec.secret && resolved[name] !== undefined) view[name] = resolved[name];
  return withRedactedView(client, `${vendor[0]!.toUpperCase()}${vendor.slice(1)}Client`, view);
}
