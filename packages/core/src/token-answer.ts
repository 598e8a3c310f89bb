/**
 * A token endpoint's answer and reading it: the answer as core hands it to a vendor's reader (status, headers,
 * parsed body, arrival time), the {@link ResponseReader} that turns every surprise into an `invalid_response`,
 * and the expiry arithmetic. What an error answer amounts to is in `answer-error.ts`.
 */
import { describeNonJson, invalidResponse, type VendorErrorDetails } from './answer-error.js';
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

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/**
 * `value` when it is a JSON object (not `null`, not an array), else `undefined`: for looking at a body whose
 * shape is not known yet — an error body, an envelope — without throwing.
 */
export function asJsonObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/**
 * Reads fields out of a vendor's token response, turning every surprise — not JSON, a missing field, a
 * wrong type, a lifetime that is zero or negative — into an `invalid_response` `TokenError` that names the
 * field but never quotes its value.
 */
export class ResponseReader {
  /**
   * @param details - what the vendor said about this answer even so (an envelope's request id, code and
   *   message), kept on every error the reader throws; see `invalidResponse`.
   */
  constructor(
    readonly vendor: string,
    readonly answer: TokenEndpointResponse,
    private readonly details: VendorErrorDetails = {},
  ) {}

  /** The body as a JSON object. */
  body(): JsonObject {
    const { json } = this.answer;
    if (json === undefined) this.fail(describeNonJson(this.answer));
    return this.object(json, 'the body');
  }

  /** `value` as a JSON object; `what` names it in the error. */
  object(value: unknown, what: string): JsonObject {
    const object = asJsonObject(value);
    if (object === undefined) this.fail(`${what} is not a JSON object`);
    return object;
  }

  /** A required, non-empty string field. */
  string(from: JsonObject, field: string): string {
    const value = from[field];
    if (typeof value !== 'string' || value.length === 0) {
      this.fail(`field "${field}" is ${describe(value)}, expected a non-empty string`);
    }
    return value;
  }

  /** An optional string field: absent or `null` gives `undefined`; any other non-string is an error. */
  optionalString(from: JsonObject, field: string): string | undefined {
    const value = from[field];
    if (value === undefined || value === null) return undefined;
    return this.string(from, field);
  }

  /**
   * A required credential that will travel in an HTTP header (`Authorization: Bearer <token>`): a non-empty
   * string of visible ASCII characters. A CR/LF, a space, a control or a non-ASCII character would make every
   * request that carries it fail (or, worse, split a header), so such a token is refused here, once.
   */
  credential(from: JsonObject, field: string): string {
    const value = this.string(from, field);
    if (!HEADER_SAFE.test(value)) {
      this.fail(`field "${field}" holds characters that cannot travel in an HTTP header (a control, space or non-ASCII character)`);
    }
    return value;
  }

  /**
   * A required lifetime in seconds, sent as a number or a string of digits; it must be positive. A lifetime
   * above `maxSeconds` (the vendor's documented sanity cap: milliseconds sent as seconds would cache a token for
   * months) is cut down to it: the token is then refreshed early, never served past its real expiry.
   */
  lifetime(from: JsonObject, field: string, maxSeconds = Number.POSITIVE_INFINITY): number {
    const seconds = parseSeconds(from[field]);
    if (seconds === undefined) {
      this.fail(`field "${field}" is ${describe(from[field])}, expected a number of seconds`);
    }
    if (seconds <= 0) {
      this.fail(`field "${field}" is ${seconds}: the token would already be expired`);
    }
    return Math.min(seconds, maxSeconds);
  }

  /** An optional lifetime in seconds, capped as {@link ResponseReader.lifetime}: absent or `null` gives `undefined`. */
  optionalLifetime(from: JsonObject, field: string, maxSeconds?: number): number | undefined {
    const value = from[field];
    if (value === undefined || value === null) return undefined;
    return this.lifetime(from, field, maxSeconds);
  }

  /** A token type, lower-cased; `"bearer"` when absent. It goes into a header too, so it must be an HTTP token. */
  tokenType(from: JsonObject, field: string): string {
    // Surrounding whitespace is a vendor's slip (`"Bearer "`), not a different scheme.
    const type = this.optionalString(from, field)?.trim();
    if (type !== undefined && !HTTP_TOKEN.test(type)) {
      this.fail(`field "${field}" is not an HTTP authentication scheme (letters, digits and !#$%&'*+.^_\`|~- only)`);
    }
    return (type ?? 'bearer').toLowerCase();
  }

  /** An error for a rule of this vendor that the response breaks. */
  fail(problem: string): never {
    throw invalidResponse(this.vendor, this.answer, problem, this.details);
  }
}

/** Visible ASCII, the characters a credential may use in a header value (RFC 9110 `VCHAR`). */
const HEADER_SAFE = /^[\x21-\x7E]+$/;

/** RFC 9110 `token`: an authentication scheme such as `Bearer`. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Names what a value is, without showing it: it may be a token. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return `a ${typeof value}`;
}

// Expiry arithmetic. Relative lifetimes are turned into local-clock expiries; absolute expiries, which are on
// the vendor's clock, are moved onto the local clock by the offset seen in the same response.

/** Reads a lifetime in whole seconds that a vendor sends as a number or as a string of digits. */
export function parseSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** The local-clock expiry of a lifetime counted from the moment the response arrived. */
export function expiryFromLifetime(receivedAt: number, lifetimeSeconds: number): number {
  return receivedAt + lifetimeSeconds * 1000;
}

/** The server's time from an HTTP `Date` header, epoch ms, or `undefined` when absent or unreadable. */
export function serverTimeFromDateHeader(headers: Headers): number | undefined {
  const value = headers.get('date');
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * How far the server's clock is ahead of ours (negative: behind), from a server timestamp taken when the
 * response was produced and the local time it arrived. 0 when the server gave no time.
 */
export function clockOffset(serverTime: number | undefined, receivedAt: number): number {
  return serverTime === undefined ? 0 : serverTime - receivedAt;
}

/**
 * Moves an absolute expiry from the server's clock onto ours.
 *
 * `resolutionMs` is how coarse the server's timestamp is (an HTTP `Date` header has whole seconds and is
 * truncated, so the server may be up to 999 ms later than it says): the expiry is pulled in by that much,
 * because erring late would hand out a dead token.
 */
export function localExpiry(serverExpiresAt: number, offsetMs: number, resolutionMs = 0): number {
  return serverExpiresAt - offsetMs - resolutionMs;
}
