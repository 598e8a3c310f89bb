import type { TokenProviderEvent, TokenStore } from '@token-clients/core';
import { createDushuClient } from '@token-clients/dushu';
import type { DushuFake } from '@token-clients/testkit';

/** What two providers did over a simulated stretch of time. */
export interface TwoProvidersOutcome {
  /** Token requests the two providers sent. */
  vendorRequests: number;
  /** The same, per provider, with the simulated time (ms after the start) of each. */
  requestsAt: [number[], number[]];
  /** Failed `getToken()` calls. */
  errors: string[];
  /** Each provider's events, by type. */
  events: [TokenProviderEvent['type'][], TokenProviderEvent['type'][]];
}

/**
 * Two providers of one dushu client — two processes, as far as the store is concerned, when each is given its own
 * store and Redis client — asked for a token every `stepMs` of simulated time for `durationMs`, on the clock
 * `clock` that the dushu fake also reads. Nothing sleeps: the clock jumps.
 */
export async function runTwoProviders(options: {
  dushu: DushuFake;
  stores: [TokenStore, TokenStore];
  clock: { now: number };
  durationMs: number;
  stepMs: number;
}): Promise<TwoProvidersOutcome> {
  const { dushu, clock } = options;
  const now = { now: () => clock.now };
  const start = clock.now;
  const events: TwoProvidersOutcome['events'] = [[], []];
  const requestsAt: TwoProvidersOutcome['requestsAt'] = [[], []];
  const providers = options.stores.map((store, index) => {
    // Each provider has its own vendor client, as two processes would, and its requests are counted apart.
    const counting: typeof fetch = (input, init) => {
      requestsAt[index]!.push(clock.now - start);
      return fetch(input, init);
    };
    const vendor = createDushuClient({ clientId: dushu.clientId, clientSecret: dushu.clientSecret, baseUrl: dushu.url, clock: now, fetch: counting });
    return vendor.tokenProvider({ store, clock: now, onEvent: (event) => events[index]!.push(event.type) });
  });
  const errors: string[] = [];
  try {
    for (const end = clock.now + options.durationMs; clock.now < end; clock.now += options.stepMs) {
      for (const provider of providers) {
        await provider.getToken().catch((error: Error) => errors.push(error.message));
      }
    }
  } finally {
    await Promise.all(providers.map((provider) => provider.close()));
  }
  return { vendorRequests: requestsAt[0].length + requestsAt[1].length, requestsAt, errors, events };
}
