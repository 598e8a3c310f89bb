import type { TokenProvider, TokenProviderEvent } from '@token-clients/core';
import { vi } from 'vitest';
import type { FakeServer } from './fake-server.js';

/** Options of {@link steadyUse}. */
export interface SteadyUseOptions {
  /** The test's clock, moved by hand. */
  clock: { now(): number; advance(ms: number): void };
  /** Simulated hours of use. Default 24. */
  hours?: number;
  /** Simulated time between two `getToken()` calls. Default 30 seconds. */
  everyMs?: number;
  /** Whether a request the fake received is a token request (the others are API calls). */
  isTokenRequest(path: string): boolean;
}

/**
 * Steady use of a provider on an injected clock: a `getToken()` every `everyMs` for `hours`, each background
 * refresh awaited before the clock moves on. Resolves with the number of token requests the vendor's fake
 * received — the measure of "one request per token lifetime" (about 12 a day for two-hour tokens).
 *
 * `events` must be fed the provider's `onEvent`: a refresh is over when it has reported its outcome.
 */
export async function steadyUse(
  provider: TokenProvider,
  fake: FakeServer,
  events: TokenProviderEvent[],
  options: SteadyUseOptions,
): Promise<number> {
  const { clock, hours = 24, everyMs = 30_000, isTokenRequest } = options;
  const tokenRequests = () => fake.requests.filter((request) => isTokenRequest(request.path)).length;
  const outcomes = () => events.filter((event) => event.type === 'token_refreshed' || event.type === 'refresh_failed').length;
  for (let elapsed = 0; elapsed < hours * 3_600_000; elapsed += everyMs) {
    const token = await provider.getToken();
    if (token.expiresAt <= clock.now()) throw new Error(`an expired token was served at ${new Date(clock.now()).toISOString()}`);
    // A refresh started in the background ends before time moves on, as it would within a real second.
    await vi.waitFor(() => {
      if (outcomes() < tokenRequests()) throw new Error('a refresh is still in flight');
    });
    clock.advance(everyMs);
  }
  return tokenRequests();
}
