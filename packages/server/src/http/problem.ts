import { TokenError, type TokenErrorCode } from '@token-clients/core';

/**
 * An error answer as RFC 9457 `application/problem+json`: `type`, `title`, `status`, `detail`, plus the
 * `TokenError` fields a caller switches on (`code`, `retryable`) and the vendor's `request_id` for support.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  retryable: boolean;
  vendor?: string;
  request_id?: string;
  /** Seconds until trying again can help, when known (also sent as `Retry-After`). */
  retry_after?: number;
}

/** Problem types name the code (a URN: nothing to dereference); the spec's Problem schema lists the codes. */
const TYPE_BASE = 'urn:token-clients:problem:';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** A problem the service raises itself (a missing key, an unknown app, a bad body). */
export function serviceProblem(status: number, code: string, detail: string, retryable = false): Problem {
  return { type: `${TYPE_BASE}${code}`, title: TITLES[status] ?? 'Error', status, detail, code, retryable };
}

/** When no Retry-After is known, callers are asked to wait this long: a refresh is retried with backoff. */
const DEFAULT_RETRY_AFTER_S = 5;

/**
 * The HTTP status a `TokenError` becomes: retryable failures are 503 with `Retry-After` (no valid token can be
 * had now; later it can), a user who must authorise again is 409, a rejected code is 400, and what retrying
 * cannot mend upstream (wrong credentials, an answer off the vendor's document) is 502.
 */
export function tokenErrorProblem(error: TokenError): Problem {
  const status = statusOf(error.code, error.retryable);
  const problem: Problem = {
    ...serviceProblem(status, error.code, error.message, error.retryable),
    vendor: error.vendor,
  };
  if (error.requestId !== undefined) problem.request_id = error.requestId;
  if (status === 503) problem.retry_after = Math.max(1, Math.ceil((error.retryAfterMs ?? DEFAULT_RETRY_AFTER_S * 1000) / 1000));
  return problem;
}

function statusOf(code: TokenErrorCode, retryable: boolean): number {
  if (retryable) return 503;
  if (code === 'reauthorization_required') return 409;
  if (code === 'invalid_grant' || code === 'invalid_request') return 400;
  return 502;
}

/** Any error a handler met, as a problem; an unexpected one is a 500 without its message (it may hold anything). */
export function problemOf(error: unknown): Problem {
  if (error instanceof TokenError) return tokenErrorProblem(error);
  return serviceProblem(500, 'internal_error', 'the service failed unexpectedly; the log has the details');
}
