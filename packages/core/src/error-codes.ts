/**
 * What each {@link TokenErrorCode} means, in one record: whether trying again later can help, and what the
 * user should do. `TokenError.retryable` defaults from it, every error message ends with its advice, and the
 * docs build imports it (it does not restate it).
 *
 * The first six codes are RFC 6749 §5.2 error codes; the rest describe what went wrong on the way
 * (transport, vendor behaviour, configuration, this library's own limits) rather than what the authorization
 * server said.
 */
export const TOKEN_ERROR_CODES = {
  invalid_client: { retryable: false, advice: 'check clientId and clientSecret.' },
  invalid_grant: { retryable: false, advice: 'the code or refresh token is invalid, expired or already used; get a new one.' },
  invalid_request: { retryable: false, advice: 'the request was rejected as malformed; check the parameters passed.' },
  unauthorized_client: { retryable: false, advice: 'this client may not use this grant; check its permissions with the vendor.' },
  unsupported_grant_type: { retryable: false, advice: 'the vendor does not accept this grant type for this client.' },
  invalid_scope: { retryable: false, advice: 'check the requested scope.' },
  rate_limited: { retryable: true, advice: 'the vendor is limiting requests; it is safe to retry later.' },
  server_error: { retryable: true, advice: 'the vendor had a server error; it is safe to retry later.' },
  network_error: { retryable: true, advice: 'check baseUrl and the network; it is safe to retry.' },
  timeout: { retryable: true, advice: 'it is safe to retry; raise timeoutMs if the vendor is slow.' },
  aborted: { retryable: false, advice: 'the caller aborted the request through its AbortSignal; nothing went wrong on the vendor side.' },
  invalid_response: {
    retryable: false,
    advice: 'the answer does not follow the vendor documentation; check baseUrl, or report it to the vendor.',
  },
  reauthorization_required: { retryable: false, advice: 'the user must authorise the application again.' },
  quota_exhausted: {
    retryable: true,
    advice: "today's budget of token requests is spent; a new token can be had after the budget resets (retryAfterMs says when).",
  },
  invalid_configuration: { retryable: false, advice: 'fix the client options.' },
  closed: { retryable: false, advice: 'the token provider was closed; create a new one.' },
} as const satisfies Record<string, { readonly retryable: boolean; readonly advice: string }>;

/** Every failure a user of token-clients can meet, as one code to switch on. */
export type TokenErrorCode = keyof typeof TOKEN_ERROR_CODES;
