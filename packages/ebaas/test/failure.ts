import { expect } from 'vitest';
import { TokenError } from '../src/index.js';

/** The rejection of `promise`, asserted to be a `TokenError`. */
export async function failure(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}
