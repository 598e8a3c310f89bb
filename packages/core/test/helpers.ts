import { afterEach, beforeEach, expect } from 'vitest';
import { TokenError, type BearerAuthMiddleware, type TokenSet } from '../src/index.js';

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 10, 22, 0, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Lets pending promise callbacks and I/O callbacks run (background refreshes finish). Not a sleep. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A token source that counts its calls and issues tokens of `lifetimeMs` on the given clock. */
export function countingSource(clock: { now(): number }, lifetimeMs = 2 * 3_600_000) {
  let issued = 0;
  const source = {
    calls: 0,
    failWith: undefined as TokenError | undefined,
    async requestToken(): Promise<TokenSet> {
      source.calls += 1;
      await Promise.resolve();
      if (source.failWith) throw source.failWith;
      issued += 1;
      return { accessToken: `access-${issued}`, tokenType: 'bearer', expiresAt: clock.now() + lifetimeMs, raw: {} };
    },
  };
  return source;
}

export const serverError = () => new TokenError({ code: 'server_error', vendor: 'test', message: 'HTTP 503' });

/**
 * Fails the test file's every test that leaves an unhandled promise rejection behind (a background refresh's
 * error, a floating promise): "no unhandled rejection, ever" is part of the provider's contract.
 */
export function failOnUnhandledRejections(): void {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await settle();
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
}

/** The `TokenError` that `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

/** Runs a request through `bearerAuth`'s middleware the way openapi-fetch does: onRequest, fetch, onResponse. */
export async function throughMiddleware(middleware: BearerAuthMiddleware, request: Request): Promise<Response> {
  const sent = (await middleware.onRequest({ request })) ?? request;
  const response = await fetch(sent);
  return (await middleware.onResponse({ request: sent, response, options: { fetch } })) ?? response;
}
