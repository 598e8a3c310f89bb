/**
 * The transport of token requests: the guarded `fetch` every vendor client sends through (no redirect followed,
 * a decoded-size limit, re-encoding to UTF-8, a warning for credentials over plain http), the request bodies
 * (form, multipart), and sending one token request with a timeout that holds whatever `fetch` does, each way it
 * can fail turned into a `TokenError`. What the answer says is read in `token-answer.ts`.
 */
import type { Clock } from './contract.js';
import { withDeadline } from './deadline.js';
import { scrubSecrets } from './scrub-secrets.js';
import { answerOf, type TokenEndpointResponse } from './token-answer.js';
import { TokenError } from './token-error.js';

/** The largest response body read; anything larger is an `invalid_response`. A token response is ~1 kB. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The `fetch` every vendor client gives to openapi-fetch's `createClient`: it warns once per process about
 * credentials sent over plain http to another machine, never follows a redirect (it asks `fetch` not to, and
 * refuses one that a custom `fetch` followed or returned anyway), and never buffers more than
 * {@link MAX_RESPONSE_BYTES} of a decoded response body; a body in another charset than UTF-8 (`charset=GBK`) is
 * re-encoded as UTF-8, which is how openapi-fetch reads it.
 */
export function vendorFetch(fetchImpl: typeof fetch = globalThis.fetch): (request: Request) => Promise<Response> {
  return async (request) => {
    warnIfPlainHttp(request.url);
    // `manual`, not `error`: the status is then seen, and the message can say what happened.
    const response = await fetchImpl(new Request(request, { redirect: 'manual' }));
    if (isRedirect(response)) {
      void response.body?.cancel().catch(() => {});
      throw new RefusedRedirectError(response.status, sameOrigin(response.headers.get('location'), request.url));
    }
    // The limit counts the bytes as they came (decompressed); the charset is converted after it.
    return asUtf8(limitResponseBody(response, MAX_RESPONSE_BYTES));
  };
}

/**
 * Thrown by the vendor fetch when a token endpoint answers with a redirect. Token requests never follow one:
 * a 307/308 would re-send the client secret, code or refresh token to whatever origin the `Location` names
 * (https → http included), and the token that origin answers with would be accepted as the vendor's.
 */
class RefusedRedirectError extends Error {
  /** `status` is 0 for an opaque redirect; `sameOrigin` compares origins only (a location may carry secrets). */
  constructor(
    readonly status: number,
    readonly sameOrigin: boolean | undefined,
  ) {
    super(`token endpoint answered with a redirect (HTTP ${status}); token requests never follow redirects`);
    this.name = 'RefusedRedirectError';
  }
}

/** Whether `response` is a redirect: a 3xx with a `Location`, an opaque redirect, or one a custom fetch followed. */
function isRedirect(response: Response): boolean {
  if (response.type === 'opaqueredirect' || response.redirected) return true;
  return response.status >= 300 && response.status < 400 && response.headers.has('location');
}

/** Whether a redirect's `location` stays on the origin of `requestUrl`; `undefined` when it cannot be told. */
function sameOrigin(location: string | null, requestUrl: string): boolean | undefined {
  if (location === null) return undefined;
  try {
    return new URL(location, requestUrl).origin === new URL(requestUrl).origin;
  } catch {
    return undefined;
  }
}

/** Thrown inside a response body stream when it grows past the limit. */
class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body is larger than ${limitBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/**
 * `response` with a body that fails once more than `limitBytes` have been read, cancelling the rest: a vendor
 * that sends 10 MB (a mis-routed file, an endless error page) must not make us buffer it whole. Decoded bytes
 * are counted: with a `Content-Encoding`, `Content-Length` is the compressed size, and a 500-byte `gzip, gzip`
 * answer can decode to hundreds of megabytes. An unencoded body declared within the limit (the common case)
 * needs no guard — fetch never reads past `Content-Length` — and is returned as it is, with no stream between.
 */
function limitResponseBody(response: Response, limitBytes: number): Response {
  const body = response.body;
  if (!body) return response;
  const encoding = response.headers.get('content-encoding');
  const encoded = encoding !== null && encoding.trim().toLowerCase() !== 'identity';
  const declared = encoded ? Number.NaN : Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared <= limitBytes) return response;
  let limited: ReadableStream<Uint8Array>;
  if (Number.isFinite(declared)) {
    void body.cancel().catch(() => {});
    limited = new ReadableStream({ start: (controller) => controller.error(new ResponseTooLargeError(limitBytes)) });
  } else {
    // A pull-based stream rather than pipeThrough(TransformStream): the same guard with far less machinery
    // per request (measured by bench/: the pipe cost more than the rest of a token request's overhead).
    const reader = body.getReader();
    let seen = 0;
    limited = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen <= limitBytes) return controller.enqueue(value);
        controller.error(new ResponseTooLargeError(limitBytes));
        await reader.cancel().catch(() => {});
      },
      cancel: (reason) => reader.cancel(reason),
    });
  }
  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** Charsets `Response.text()` already decodes right (it always decodes UTF-8, and ASCII is a subset). */
const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/**
 * `response` re-encoded as UTF-8 when its `Content-Type` names another charset the runtime can decode (`GBK`,
 * `GB18030`, `ISO-8859-1`, `UTF-16`, …): openapi-fetch reads answers with `Response.text()`, always UTF-8, so a
 * `charset=GBK` error message would be mojibake in `vendorMessage` (and a secret it echoes would escape
 * redaction). An unknown charset is left as it is (read as UTF-8).
 */
function asUtf8(response: Response): Response {
  const type = response.headers.get('content-type');
  const charset = type === null ? undefined : /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1]?.toLowerCase();
  if (charset === undefined || UTF8.has(charset) || response.body === null) return response;
  let decoder: TextDecoderStream;
  try {
    decoder = new TextDecoderStream(charset);
  } catch {
    return response;
  }
  const headers = new Headers(response.headers);
  headers.set('content-type', type!.replace(/;\s*charset\s*=\s*"?[^";\s]+"?/i, '; charset=utf-8'));
  headers.delete('content-length');
  const body = response.body.pipeThrough(decoder).pipeThrough(new TextEncoderStream());
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

const warned = new Set<string>();
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Emits a process warning, once per origin and process, when a request carrying credentials goes over plain
 * http to another machine (the Fantem gateway's documented server is `http://`). Loopback is exempt: that is
 * a local proxy or a test server.
 */
function warnIfPlainHttp(url: string): void {
  // Every token request passes here: https, the common case, costs a prefix check, not a URL parse.
  if (!url.startsWith('http:')) return;
  const { protocol, hostname, origin } = new URL(url);
  // Loopback: `localhost`, `*.localhost`, the 127.0.0.0/8 range and `::1`.
  const loopback = LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname);
  if (protocol !== 'http:' || loopback || warned.has(origin)) return;
  warned.add(origin);
  const message = `token-clients: credentials are being sent over plain http to ${origin}; anyone on the network path can read them. Use an https baseUrl if the vendor offers one.`;
  // A process warning where there is a process that emits them (Node, Bun, Deno); a console warning on a worker.
  const runtime = (globalThis as { process?: { emitWarning?: (message: string, options: { code: string }) => void } }).process;
  if (typeof runtime?.emitWarning === 'function') runtime.emitWarning(message, { code: 'TOKEN_CLIENTS_PLAIN_HTTP' });
  else console.warn(message);
}

/**
 * openapi-fetch's `bodySerializer` for a token request sent as `application/x-www-form-urlencoded`, the
 * encoding RFC 6749 gives token requests: every field as a string (`expires_in: 3600` → `expires_in=3600`),
 * fields that are `undefined` left out rather than sent as the text "undefined". Pass it per request or to
 * `createClient`, with a `Content-Type: application/x-www-form-urlencoded` header.
 */
export function formUrlEncoded(fields: unknown): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries((fields ?? {}) as Record<string, unknown>)) {
    if (value !== undefined) form.set(name, String(value));
  }
  return form.toString();
}

/**
 * openapi-fetch's `bodySerializer` for a token request sent as `multipart/form-data` (Fantem's, as in its
 * vendor's example), fields as in {@link formUrlEncoded}. openapi-fetch passes `FormData` through untouched and
 * leaves the `Content-Type` to `fetch`, which adds the boundary.
 */
export function multipartBody(fields: object): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) form.append(name, String(value));
  }
  return form;
}

/** What one token request needs to know about the client that sends it. */
export interface TokenEndpointContext {
  /** The vendor's name, for errors. */
  vendor: string;
  /** Aborts the request (and the reading of its body) after this many milliseconds. */
  timeoutMs: number;
  /** The clock that stamps `receivedAt`. */
  clock: Clock;
  /**
   * What the request carries that must never reach an error (client secret, code, refresh token), even through
   * a custom `fetch`'s `cause`; kept on the answer ({@link TokenEndpointResponse.secrets}) to redact the vendor's text.
   */
  secrets: readonly string[];
}

/** The shape openapi-fetch resolves to with `parseAs: 'text'`. */
export interface TextFetchResult {
  data?: string;
  error?: unknown;
  response: Response;
}

/**
 * Sends one token request through `send` (an openapi-fetch call with `parseAs: 'text'` and the given signal) and
 * returns the answer, whatever its status, for the vendor to interpret. The timeout covers reading the body and
 * holds whatever `fetch` does (one that never settles or ignores the signal still ends in `timeout`), and so
 * does the caller's signal (`aborted`); a redirect or an oversized body is `invalid_response`, anything else
 * `network_error`. Internal: vendors go through the vendor kit's `sendTokenRequest`.
 */
export async function fetchTokenAnswer(
  context: TokenEndpointContext,
  send: (signal: AbortSignal) => Promise<TextFetchResult>,
  callerSignal?: AbortSignal,
): Promise<TokenEndpointResponse> {
  const { vendor, timeoutMs, clock } = context;
  let timedOut = false;
  let result: TextFetchResult;
  try {
    // The deadline, not the signal alone, bounds the wait: a custom fetch may never settle, or re-issue the
    // request without our signal. Whatever `send` does later is dropped.
    result = await withDeadline(send, {
      ms: timeoutMs,
      signal: callerSignal,
      timeout: () => {
        timedOut = true;
        return new DOMException('token request timed out', 'TimeoutError');
      },
    });
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (timedOut) {
      throw new TokenError({
        code: 'timeout',
        vendor,
        message: `${vendor} token endpoint did not answer within ${timeoutMs} ms. It is safe to retry; raise timeoutMs if the vendor is slow.`,
        cause: scrubSecrets(error, context.secrets),
      });
    }
    if (callerSignal?.aborted) {
      throw new TokenError({
        code: 'aborted',
        vendor,
        message: `The ${vendor} token request was aborted by the caller's AbortSignal; nothing went wrong on the vendor side.`,
        cause: scrubSecrets(error, context.secrets),
      });
    }
    const redirect = [...causes(error)].find((cause) => cause instanceof RefusedRedirectError);
    if (redirect) {
      const where = redirect.sameOrigin === false ? 'another origin' : redirect.sameOrigin ? 'another path' : 'another location';
      throw new TokenError({
        code: 'invalid_response',
        vendor,
        status: redirect.status,
        message: `${vendor} token endpoint answered with a redirect (HTTP ${redirect.status}) to ${where}; it was not followed, since that would send the credentials there. Check baseUrl: use the token endpoint's final address.`,
      });
    }
    if ([...causes(error)].some((cause) => cause instanceof ResponseTooLargeError)) {
      throw new TokenError({
        code: 'invalid_response',
        vendor,
        message: `${vendor} sent a token response larger than ${MAX_RESPONSE_BYTES} bytes (decoded); it was not read. Check baseUrl: it may point at something other than the token endpoint.`,
      });
    }
    const systemCode = systemErrorCode(error);
    throw new TokenError({
      code: 'network_error',
      vendor,
      message: `Could not reach the ${vendor} token endpoint${systemCode ? ` (${systemCode})` : ''}. Check baseUrl and the network; it is safe to retry.`,
      cause: scrubSecrets(error, context.secrets),
    });
  }
  return answerOf(result, clock.now(), context.secrets);
}

/** The error and its causes, at most five deep. */
function* causes(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

/** `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, … from the error or its causes (never free text). */
function systemErrorCode(error: unknown): string | undefined {
  for (const current of causes(error)) {
    const code = typeof current === 'object' ? (current as { code?: unknown }).code : undefined;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  }
  return undefined;
}
