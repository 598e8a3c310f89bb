import type { TextFetchResult } from './transport.js';

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
 * The answer as a vendor's reader sees it: status, headers, the body parsed as JSON (or kept as text when it is
 * not JSON), when it arrived, and the request's secrets, hidden.
 */
export function answerOf(result: TextFetchResult, receivedAt: number, requestSecrets: readonly string[]): TokenEndpointResponse {
  const { response } = result;
  const answer: TokenEndpointResponse = {
    status: response.status,
    ok: response.ok,
    headers: response.headers,
    json: undefined,
    response,
    receivedAt,
  };
  // A getter, not a value: even `util.inspect(answer, { showHidden: true })` shows `[Getter]`, not the secrets.
  const secrets = Object.freeze([...requestSecrets]);
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
