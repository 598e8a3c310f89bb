import { parseSeconds } from './expiry.js';
import { describeNonJson, invalidResponse, type VendorErrorDetails } from './response-error.js';
import type { TokenEndpointResponse } from './token-endpoint.js';

import { asJsonObject, type JsonObject } from './json-object.js';

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
