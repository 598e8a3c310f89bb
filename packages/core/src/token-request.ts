import type { ResolvedClientOptions } from './client-options.js';
import { CHANNELS, type TokenRequestContext, type TokenRequestResult } from './diagnostics.js';
import type { TokenEndpointResponse } from './token-answer.js';
import { fetchTokenAnswer, vendorFetch, type TextFetchResult } from './transport.js';
import { TokenError } from './token-error.js';
import type { TokenSet } from './contract.js';
import { tracingChannel } from './runtime-builtins.js';

/** The vendor client a token request is sent for: its vendor name and its resolved options. */
export interface TokenRequestClient {
  /** The vendor's name (`wps`), for errors and tracing. */
  vendor: string;
  /** The client's resolved options: server, `fetch`, `timeoutMs`, clock. */
  options: Pick<ResolvedClientOptions, 'baseUrl' | 'fetch' | 'timeoutMs' | 'clock'>;
}

/**
 * What `send` must pass to its openapi-fetch call, spread into the call's options: the text parsing, the
 * signal (timeout and the caller's abort) and the guarded `fetch` (no redirect, size limit, plain-http warning).
 */
export interface TokenRequestInit {
  parseAs: 'text';
  signal: AbortSignal;
  fetch: (request: Request) => Promise<Response>;
}

/** One token request, described by the vendor. */
export interface TokenRequest<Raw> {
  /** The OAuth grant (`client_credentials`, `authorization_code`, `refresh_token`), for tracing. */
  grant: string;
  /** The HTTP method, for tracing. */
  method: string;
  /** The endpoint's path on the client's `baseUrl`, without a query string, for tracing. */
  path: string;
  /** The request's fields, wherever they travel (query string, form or multipart body). */
  fields: Readonly<Record<string, unknown>>;
  /**
   * The names of the fields that are secret (`client_secret`, `code`, `refresh_token`). Their values, and every
   * token field of the answer, are redacted from any error, in any encoding; no vendor keeps a list of values.
   */
  secretFields: readonly string[];
  /** Sends the request through the vendor's typed client, with `init` spread into its options. */
  send(init: TokenRequestInit): Promise<TextFetchResult>;
  /** Turns the answer (any status) into a `TokenSet`, or throws the `TokenError` it amounts to. */
  read(answer: TokenEndpointResponse): TokenSet<Raw>;
}

const requests = tracingChannel<TokenRequestResult, TokenRequestContext>(CHANNELS.request);
const guardedFetches = new WeakMap<typeof fetch, (request: Request) => Promise<Response>>();
const guarded = new WeakSet<Response>();

/**
 * The one way a vendor sends a token request. It owns what every vendor must get right: the text parsing
 * (openapi-fetch's `parseAs: 'text'`, so a non-JSON answer is read, not thrown), the timeout (which holds
 * whatever `fetch` does), refusing redirects, the decoded-size limit, redaction (derived from the fields named in
 * `secretFields` and from the answer's token fields) and the `token-clients:request` tracing channel.
 *
 * @example
 * return sendTokenRequest({ vendor: VENDOR, options: resolved }, {
 *   grant: 'refresh_token', method: 'POST', path: '/oauth2/token', fields: body,
 *   secretFields: ['client_secret', 'refresh_token'],
 *   send: (init) => api.POST('/oauth2/token', { body, ...init }),
 *   read: (answer) => readTokenResponse(answer, 'refresh_token'),
 * }, options.signal);
 */
export async function sendTokenRequest<Raw>(
  client: TokenRequestClient,
  request: TokenRequest<Raw>,
  signal?: AbortSignal,
): Promise<TokenSet<Raw>> {
  if (!requests.hasSubscribers) return (await run(client, request, signal)).token;
  const context: TokenRequestContext = {
    vendor: client.vendor,
    grant: request.grant,
    url: `${client.options.baseUrl}${request.path}`,
    method: request.method,
  };
  let token: TokenSet<Raw> | undefined;
  // The trace's `result` is what tracePromise resolves with: the summary, never the token set itself.
  await requests.tracePromise(async () => {
    const done = await run(client, request, signal);
    token = done.token;
    return { status: done.status, expiresAt: done.token.expiresAt, ...(done.requestId ? { requestId: done.requestId } : {}) };
  }, context);
  return token!;
}

async function run<Raw>(
  client: TokenRequestClient,
  request: TokenRequest<Raw>,
  signal: AbortSignal | undefined,
): Promise<{ token: TokenSet<Raw>; status: number; requestId?: string }> {
  const { vendor, options } = client;
  const secrets = request.secretFields
    .map((name) => request.fields[name])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
  const fetch = guardedFetch(options.fetch);
  const answer = await fetchTokenAnswer(
    { vendor, timeoutMs: options.timeoutMs, clock: options.clock, secrets },
    async (abort) => {
      const result = await request.send({ parseAs: 'text', signal: abort, fetch });
      if (!guarded.has(result.response)) {
        throw new TokenError({
          code: 'invalid_configuration',
          vendor,
          message: `${vendor} client bug: a token request's send() must spread the init it is given into its openapi-fetch call; report it to the package's authors.`,
        });
      }
      return result;
    },
    signal,
  );
  const requestId = answer.headers.get('x-request-id') ?? undefined;
  return { token: request.read(answer), status: answer.status, ...(requestId ? { requestId } : {}) };
}

/** The client's `fetch` behind the vendor guard, made once per `fetch`; its responses are marked as guarded. */
function guardedFetch(fetchImpl: typeof fetch): (request: Request) => Promise<Response> {
  let wrapped = guardedFetches.get(fetchImpl);
  if (!wrapped) {
    const inner = vendorFetch(fetchImpl);
    wrapped = async (request) => {
      const response = await inner(request);
      guarded.add(response);
      return response;
    };
    guardedFetches.set(fetchImpl, wrapped);
  }
  return wrapped;
}
