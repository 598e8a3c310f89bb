import { expect } from 'vitest';
import { TokenError } from '../src/index.js';

/** The rejection of `promise`, which must be a `TokenError`. */
export async function failure(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

/** Asserts that no secret shows in what a user could log of `error`. */
export function expectNoSecret(error: TokenError, secrets: readonly string[]): void {
  const shown = [error.message, String(error), JSON.stringify(error), error.vendorMessage ?? '', error.vendorCode ?? ''];
  for (const secret of secrets) {
    for (const text of shown) expect(text).not.toContain(secret);
  }
}
