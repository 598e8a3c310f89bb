import { TokenError } from '@token-clients/core';

/** The `vendor` of errors the service raises itself (configuration, callers), as `core` is for core's own. */
export const SERVICE = 'server';

/**
 * A configuration mistake, as a `TokenError` (`invalid_configuration`) whose message starts with the path of
 * the bad field (`apps.reading.clientSecret: …`) so that the operator knows which line to fix. Never the value.
 */
export function configProblem(path: string, message: string): TokenError {
  return new TokenError({ code: 'invalid_configuration', vendor: SERVICE, message: `config ${path}: ${message}` });
}
