import type { TokenSet } from '@token-clients/core';

/** The body of a token answer: the access token and when it expires. Never the refresh token or the raw answer. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  /** ISO 8601, UTC. */
  expires_at: string;
  /** Whole seconds left, ≥ 0, as OAuth's `expires_in`. */
  expires_in: number;
}

/** The JSON schema of {@link TokenResponse}: fastify serialises the answer with it (fast, and nothing else leaks). */
export const TOKEN_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_at', 'expires_in'],
  properties: {
    access_token: { type: 'string' },
    token_type: { type: 'string' },
    expires_at: { type: 'string' },
    expires_in: { type: 'integer' },
  },
  additionalProperties: false,
} as const;

/** Each cached token's `expires_at`, formatted once rather than on every cache hit it serves. */
const expiryText = new WeakMap<TokenSet, string>();

/** The answer for `token` at `now` (epoch ms). */
export function tokenResponse(token: TokenSet, now: number): TokenResponse {
  let expiresAt = expiryText.get(token);
  if (expiresAt === undefined) {
    expiresAt = new Date(token.expiresAt).toISOString();
    expiryText.set(token, expiresAt);
  }
  return {
    access_token: token.accessToken,
    token_type: token.tokenType,
    expires_at: expiresAt,
    expires_in: Math.max(0, Math.floor((token.expiresAt - now) / 1000)),
  };
}
