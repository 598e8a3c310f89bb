import { TokenError } from '@token-clients/core';
import { VENDOR } from './vendor-error.js';

/** RFC 6749 §3.3: scope tokens of printable ASCII except space, `"` and `\`, separated by single spaces. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

/** Where an option was given, for the message: `create akubela client`, `akubela requestToken`, … */
type Where = string;

const invalid = (where: Where, message: string): TokenError =>
  new TokenError({ code: 'invalid_configuration', vendor: VENDOR, message: `${where}: ${message}` });

/** A scope such as `hotel` or `manager` (spec ruling 2); throws `invalid_configuration` otherwise. */
export function checkScope(value: unknown, name: string, where: Where): string {
  if (typeof value !== 'string' || !SCOPE.test(value)) {
    throw invalid(where, `${name} must be an OAuth2 scope such as "hotel" (non-empty, space-separated, no surrounding spaces)`);
  }
  return value;
}

/** An optional requested lifetime in whole seconds (spec ruling 3); throws `invalid_configuration` otherwise. */
export function checkExpiresIn(value: unknown, name: string, where: Where): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(where, `${name} must be a positive whole number of seconds`);
  }
  return value;
}
