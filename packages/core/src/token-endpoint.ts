import type { Clock } from './clock.js';
import { withDeadline } from './deadline.js';
import { ResponseTooLargeError } from './limited-body.js';
import { RefusedRedirectError } from './refused-redirect.js';
import { scrubSecrets } from './scrub-secrets.js';
import { TokenError } from './token-error.js';
import { MAX_RESPONSE_BYTES } from './vendor-fetch.js';

/** What one token request needs to know about the client that sends it. */
export interface TokenEndpointContext {
  /** The vendor's name, for errors. */
  vendor: string;
  /** Aborts the request (and the reading of its body) after this many milliseconds. */
  timeoutMs: number;
  /** The clock that stamps `receivedAt`. */
  clock: Clock;
  /**
   * Values the request carries that must never reach an error (client secret, code, refresh token), even
   * through a `cause` from a custom `fetch`. They are recorded on the answer as
   * {@link TokenEndpointResponse.secrets}, so that the vendor's own text is redacted too.
   */
  secrets: readonly string[];
}

/** The shape openapi-fetch resolves to with `parseAs: 'text'`. */
export interface TextFetchResult {
  data?: string;
  error?: unknown;
  response: Response;
}

/** A vendor's answer to a token request, read and size-limited, before any vendor rule is applied. */
export interface TokenEndpointResponse {
  /** The HTTP status. */
  status: number;
  /** Whether the status is 2xx. */
  ok: boolean;
  /** The response headers. */
  headers: Headers;
  /** The body parsed as JSON; `undefined` when it was empty or not JSON. */
  json: unknown;
  /** The body as text when it was not JSON (an HTML error page, a truncated object). */
  text?: string;
  /** The response itself (its body already read). */
  response: Response;
  /** The local time at which the response arrived, epoch ms. */
  receivedAt: number;
  /**
   * The secrets the request carried ({@link TokenEndpointContext.secrets}). `vendorError` and
   * `invalidResponse` replace them by `[redacted]` in the vendor's code and message, should the vendor echo
   * one. Not enumerable — `JSON.stringify`, `util.inspect` and spreading never show or copy it — and absent
   * (read as none) on answers built by hand.
   */
  readonly secrets?: readonly string[];
}

/**
 * Sends one token request through `send` (an openapi-fetch call with `parseAs: 'text'` and the given
 * signal), with a timeout that also covers reading the body, and reads the answer. Internal: vendors go through
 * the vendor kit's `sendTokenRequest`, which builds the context from the request's secret fields.
 *
 * The timeout holds whatever `fetch` does (one that never settles, or ignores the signal, still ends in
 * `timeout` after `timeoutMs`), and so does the caller's signal (`aborted`). Throws a `TokenError`
 * (`timeout`, `aborted`, `network_error`, `invalid_response` for a redirect or an oversized body) when no
 * readable answer arrives; otherwise returns the answer, whatever its status, for the vendor to interpret.
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
    const redirect = findCause(error, RefusedRedirectError);
    if (redirect) {
      const where = redirect.sameOrigin === false ? 'another origin' : redirect.sameOrigin ? 'another path' : 'another location';
      throw new TokenError({
        code: 'invalid_response',
        vendor,
        status: redirect.status,
        message: `${vendor} token endpoint answered with a redirect (HTTP ${redirect.status}) to ${where}; it was not followed, since that would send the credentials there. Check baseUrl: use the token endpoint's final address.`,
      });
    }
    if (findCause(error, ResponseTooLargeError)) {
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
  const { response } = result;
  const answer: TokenEndpointResponse = {
    status: response.status,
    ok: response.ok,
    headers: response.headers,
    json: undefined,
    response,
    receivedAt: clock.now(),
  };
  // A getter, not a value: even `util.inspect(answer, { showHidden: true })` shows `[Getter]`, not the secrets.
  const secrets = Object.freeze([...context.secrets]);
  Object.defineProperty(answer, 'secrets', { get: () => secrets, enumerable: false });
  const payload = response.ok ? result.data : result.error;
  if (typeof payload === 'string') {
    try {
      answer.json = JSON.parse(payload);
    } catch {
      answer.text = payload;
    }
  } else {
    // openapi-fetch already parsed an error body as JSON (or found it empty).
    answer.json = payload;
  }
  return answer;
}

function findCause<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof type) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, … from the error or its causes (never free text). */
function systemErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
