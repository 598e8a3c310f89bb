export { failure } from '@token-clients/testkit';
import { expect } from 'vitest';
import { TokenError } from '../src/index.js';

/** Asserts that no secret shows in what a user could log of `error`. */
export function expectNoSecret(error: TokenError, secrets: readonly string[]): void {
  const shown = [error.message, String(error), JSON.stringify(error), error.vendorMessage ?? '', error.vendorCode ?? ''];
  for (const secret of secrets) {
    for (const text of shown) expect(text).not.toContain(secret);
  }
}
