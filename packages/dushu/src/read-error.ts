import { oauthErrorDetails, vendorError, type TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import type { TokenError } from '@token-clients/core';
import { VENDOR, type AnsweredRequest } from './vendor.js';

/**
 * The `TokenError` an answer amounts to, or `undefined` when it is not a failure.
 *
 * Dushu's documented error shape is RFC 6749's (`error`, `error_description`, ruling 3), read by the rule core
 * shares with every vendor, at any status; any other non-2xx answer goes by its status.
 */
export function readError(answer: TokenEndpointResponse, _request: AnsweredRequest): TokenError | undefined {
  const standard = oauthErrorDetails(answer);
  if (standard !== undefined) return vendorError(VENDOR, answer, standard);
  if (!answer.ok) return vendorError(VENDOR, answer);
  return undefined;
}
