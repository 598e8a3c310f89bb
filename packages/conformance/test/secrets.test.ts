/**
 * No secret — client secret, authorization code, refresh token, access token — ever shows in `String()`,
 * `util.inspect`, `JSON.stringify` or an error message of any client, provider, store or error, for all five
 * vendors (ebaas and dushu send their secret in the URL).
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MemoryStore, TokenError, type TokenProviderEvent } from '@token-clients/core';
import type { Fault } from '@token-clients/testkit';
import { VENDORS } from './vendors.js';

/** Every way a user might print an object. */
function renderings(value: unknown): string[] {
  const shown = [String(value), inspect(value, { depth: Number.POSITIVE_INFINITY }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) shown.push(value.message, value.stack ?? '', inspect(value.cause, { depth: Number.POSITIVE_INFINITY }));
  return shown;
}

const ERROR_FAULTS: Fault[] = [
  { type: 'truncated' }, // the half body holds half a token
  { type: 'status', status: 502 },
  { type: 'reset' },
  { type: 'html', status: 200 },
];

describe.each(VENDORS)('$vendor', ({ start, breakage }) => {
  it('shows no secret through any client, provider, store, event or error', async () => {
    let now = Date.UTC(2026, 10, 22, 8, 0, 0);
    const clock = { now: () => now };
    const session = await start(() => now);
    const store = new MemoryStore();
    const events: TokenProviderEvent[] = [];
    const shown: unknown[] = [store];
    try {
      const provider = await session.provider({ clock, timeoutMs: 500 }, { store, onEvent: (e) => events.push(e) });
      await provider.getToken();
      shown.push(provider, ...session.clients({ clock }), await session.call({ clock }).then(() => 'ok'));
      for (const fault of [...ERROR_FAULTS, { type: 'mutate', change: breakage.failure.change, status: breakage.failure.status } as Fault]) {
        session.fake.inject(fault, 1);
        const error = await session.call({ clock, timeoutMs: 500 }).catch((reason: unknown) => reason);
        expect(error).toBeInstanceOf(TokenError);
        shown.push(error);
      }
      now += 10 * 3_600_000; // expired: the provider refreshes, and fails
      session.fake.inject({ type: 'status', status: 503 });
      shown.push(await provider.getToken().catch((reason: unknown) => reason));
      shown.push(...events);
      await provider.close();
    } finally {
      await session.fake.close();
    }
    const secrets = session.secrets();
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const value of shown) {
      for (const text of renderings(value)) {
        for (const secret of secrets) expect(text, `${secret} leaked`).not.toContain(secret);
      }
    }
  });
});
