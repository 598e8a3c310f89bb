/**
 * What each {@link TokenErrorCode} means, in one record: whether trying again later can help, and what the
 * user should do. `TokenError.retryable` defaults from it, every error message ends with its advice, and the
 * docs build imports it (it does not restate it).
 *
 * The first six codes are RFC 6749 §5.2 error codes; the rest describe what went wrong on the way
 * (transport, vendor behaviour, configuration, this library's own limits) rather than what the authorization
 * server said.
 */
export const TOKEN_ERROR_CODES = {
  invalid_client: { retryable: false, advice: 'check clientId and clientSecret.' },
  invalid_grant: { retryable: false, advice: 'the code or refresh token is invalid, expired or already used; get a new one.' },
  invalid_request: { retryable: false, advice: 'the request was rejected as malformed; check the parameters passed.' },
  unauthorized_client: { retryable: false, advice: 'this client may not use this grant; check its permissions with the vendor.' },
  unsupported_grant_type: { retryable: false, advice: 'the vendor does not accept this grant type for this client.' },
  invalid_scope: { retryable: false, advice: 'check the requested scope.' },
  rate_limited: { retryable: true, advice: 'the vendor is limiting requests; it is safe to retry later.' },
  server_error: { retryable: true, advice: 'the vendor had a server error; it is safe to retry later.' },
  network_error: { retryable: true, advice: 'check baseUrl and the network; it is safe to retry.' },
  timeout: { retryable: true, advice: 'it is safe to retry; raise timeoutMs if the vendor is slow.' },
  aborted: { retryable: false, advice: 'the caller aborted the request through its AbortSignal; nothing went wrong on the vendor side.' },
  invalid_response: {
    retryable: false,
    advice: 'the answer does not follow the vendor documentation; check baseUrl, or report it to the vendor.',
  },
  reauthorization_required: { retryable: false, advice: 'the user must authorise the application again.' },
  quota_exhausted: {
    retryable: true,
    advice: "today's budget of token requests is spent; a new token can be had after the budget resets (retryAfterMs says when).",
  },
  invalid_configuration: { retryable: false, advice: 'fix the client options.' },
  closed: { retryable: false, advice: 'the token provider was closed; create a new one.' },
} as const satisfies Record<string, { readonly retryable: boolean; readonly advice: string }>;

/** Every failure a user of token-clients can meet, as one code to switch on. */
export type TokenErrorCode = keyof typeof TOKEN_ERROR_CODES;

/** What a {@link TokenError} is built from. Only `code`, `vendor` and `message` are required. */
export interface TokenErrorOptions {
  /** The normalised error code. */
  code: TokenErrorCode;
  /** The vendor the failing call went to (`dushu`, `ebaas`, …), or `core` for errors raised by core itself. */
  vendor: string;
  /** What happened and what to do about it. Must never contain a secret. */
  message: string;
  /** The HTTP status of the vendor's response, if one arrived. */
  status?: number;
  /** The vendor's own error code (`403006`, `invalid_client`, …). */
  vendorCode?: string;
  /** The vendor's own error message, as sent. */
  vendorMessage?: string;
  /** The vendor's request id, for support tickets. */
  requestId?: string;
  /** Overrides the default: whether retrying the same call later can succeed. */
  retryable?: boolean;
  /** Milliseconds the vendor asked us to wait (`Retry-After`), when it said so. */
  retryAfterMs?: number;
  /** The underlying error (a network failure, a parse error, an earlier `TokenError`). */
  cause?: unknown;
  /** The vendor's response. Kept on the error but not enumerable, so it is never serialised by accident. */
  response?: Response;
  /** The vendor's response body, size-limited. Not enumerable: it can hold token fragments. */
  body?: unknown;
}

const BRAND = Symbol.for('@token-clients/core.TokenError');

/**
 * The one error type of token-clients.
 *
 * Switch on {@link TokenError.code}; use {@link TokenError.retryable} to decide whether to try again.
 * The vendor's response and body are attached but not enumerable: `JSON.stringify(error)`,
 * `util.inspect(error)` and logs never show them, and no message ever contains a secret.
 *
 * `instanceof TokenError` works even when both the ESM and the CommonJS build of this package are
 * loaded in one process.
 */
export class TokenError extends Error {
  /** The normalised error code. */
  readonly code: TokenErrorCode;
  /** The vendor the failing call went to, or `core`. */
  readonly vendor: string;
  /** The HTTP status of the vendor's response, if one arrived. */
  readonly status?: number;
  /** The vendor's own error code. */
  readonly vendorCode?: string;
  /** The vendor's own error message. */
  readonly vendorMessage?: string;
  /** The vendor's request id, for support tickets. */
  readonly requestId?: string;
  /** Whether retrying the same call later can succeed. */
  readonly retryable: boolean;
  /** Milliseconds the vendor asked us to wait before retrying, when it said so. */
  readonly retryAfterMs?: number;
  /** The vendor's response (not enumerable). */
  declare readonly response?: Response;
  /** The vendor's response body, size-limited (not enumerable). */
  declare readonly body?: unknown;

  constructor(options: TokenErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenError';
    this.code = options.code;
    this.vendor = options.vendor;
    if (options.status !== undefined) this.status = options.status;
    if (options.vendorCode !== undefined) this.vendorCode = options.vendorCode;
    if (options.vendorMessage !== undefined) this.vendorMessage = options.vendorMessage;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    this.retryable = options.retryable ?? TOKEN_ERROR_CODES[options.code].retryable;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    Object.defineProperty(this, 'response', { value: options.response, enumerable: false });
    Object.defineProperty(this, 'body', { value: options.body, enumerable: false });
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** True for any `TokenError`, from either build of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check; only TokenError itself needs the brand.
    if (this !== TokenError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** The fields worth logging; never the response, the body, or a secret. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      vendor: this.vendor,
      message: this.message,
      status: this.status,
      vendorCode: this.vendorCode,
      vendorMessage: this.vendorMessage,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
    };
  }
}
