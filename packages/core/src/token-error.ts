import { TOKEN_ERROR_CODES, type TokenErrorCode } from './error-codes.js';

export type { TokenErrorCode };

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
