import { expect } from 'vitest';
import { TokenError } from '@token-clients/core';

/** The rejection of `promise`, asserted to be a `TokenError` (a resolved promise fails the test). */
export async function failure(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}
