import { TokenError, type TokenErrorCode } from '@token-clients/core';

/** The `vendor` of errors raised by this package: not a vendor, but the store the provider reports on. */
export const STORE_NAME = 'redis-store';

/** A {@link TokenError} raised by the store itself (configuration mistakes, an unreachable Redis). */
export function storeError(code: TokenErrorCode, message: string, cause?: unknown): TokenError {
  return new TokenError({ code, vendor: STORE_NAME, message: `RedisStore: ${message}`, cause });
}
