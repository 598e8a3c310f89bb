import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/schema.js';

export type { paths, components } from './generated/schema.js';

/** Options of {@link createTokenServiceClient}. */
export interface TokenServiceClientOptions {
  /** The service's address, e.g. `http://token-service.internal:8787`. */
  baseUrl: string;
  /** This caller's key from the service's config. Sent as `Authorization: Bearer <key>`; never logged. */
  callerKey: string;
  /** A `fetch` implementation; default the global one. */
  fetch?: typeof fetch;
}

/** The token service's answer for a token. */
export type ServiceTokenResponse = components['schemas']['TokenResponse'];

/**
 * A typed client of the token service, generated from `specs/token-service.yaml` with openapi-typescript —
 * the repository's own pipeline turned on itself. Other languages generate theirs from the same spec.
 *
 * @example
 * import { createTokenServiceClient } from '@token-clients/server/client';
 * const service = createTokenServiceClient({ baseUrl: 'http://127.0.0.1:8787', callerKey: process.env.TOKEN_SERVICE_KEY! });
 * const { data, error } = await service.GET('/v1/apps/{app}/token', { params: { path: { app: 'reading' } } });
 */
export function createTokenServiceClient(options: TokenServiceClientOptions): Client<paths> {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const authorization = `Bearer ${options.callerKey}`;
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', authorization);
      return request;
    },
  });
  return client;
}
