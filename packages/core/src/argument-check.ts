import { TokenError } from './token-error.js';

/**
 * What is wrong with a value that must be a non-empty string without surrounding whitespace (`is required`,
 * `must be a string`, …), or `undefined` when nothing is. Never quotes the value: it may be a secret.
 *
 * The one place that decides this, for options checked when a client is created (`requireStringOption`,
 * `invalid_configuration`) and for arguments checked before a call sends anything ({@link requireArgument},
 * `invalid_request`).
 */
export function stringProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is required';
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.trim() !== value) return 'has leading or trailing whitespace (a copy-paste slip?)';
  return undefined;
}

/**
 * Rejects a missing, non-string, empty or whitespace-padded call argument (an authorization code, a redirect
 * URI, a refresh token) with an `invalid_request` `TokenError` before anything is sent: the vendor would
 * answer a bare 400 that says nothing about why. The message names the argument, never its value.
 *
 * @param vendor - the vendor, for the error.
 * @param value - the argument as the caller passed it.
 * @param name - the argument's name in the message (`code`, `refreshToken`).
 * @param where - the call it was passed to (`exchangeCode`, `refresh`).
 *
 * @example
 * requireArgument('wps', grant?.code, 'code', 'exchangeCode');
 * // TokenError invalid_request: "wps exchangeCode: code must not be empty; nothing was sent."
 */
export function requireArgument(vendor: string, value: unknown, name: string, where: string): asserts value is string {
  const problem = stringProblem(value);
  if (problem === undefined) return;
  throw new TokenError({
    code: 'invalid_request',
    vendor,
    retryable: false,
    message: `${vendor} ${where}: ${name} ${problem}; nothing was sent.`,
  });
}
