/**
 * Issue 12, transport: what a token request does whatever the network, the server or the user's `fetch` does —
 * for every vendor. The timeout holds even when `fetch` ignores the signal or never settles, the caller's abort is
 * `aborted`, a redirect is never followed, an absurd lifetime is capped, and a misspelt option is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TokenError, type CommonOptionsForTests } from './transport-support.js';
import { VENDORS, type CommonOptions } from './vendors.js';

const TIMEOUT_MS = 300;
const measured: string[] = [];
afterAll(() => console.log(`\nTransport bounds (timeoutMs ${TIMEOUT_MS}):\n${measured.join('\n')}\n`));

async function timed(promise: Promise<unknown>): Promise<{ error: TokenError; elapsed: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TokenError);
  return { error: error as TokenError, elapsed: performance.now() - started };
}

/** A fetch that never settles and never looks at the signal. */
const neverSettles: typeof fetch = () => new Promise<Response>(() => {});

/** A common wrapper mistake: the request is re-issued by URL, and the signal is lost on the way. */
const dropsTheSignal: typeof fetch = async (input) => {
  const request = input as Request;
  return fetch(request.url, { method: request.method, headers: request.headers, body: request.body, duplex: 'half' } as RequestInit);
};

describe.each(VENDORS)('$vendor', ({ vendor, start, breakage }) => {
  const now = () => Date.UTC(2026, 10, 22, 8, 0, 0);
  const clock = { now };

  it('times out within timeoutMs with a fetch that never settles, and with one that drops the signal', async () => {
    const session = await start(now);
    try {
      await session.call({ clock }); // links user-token vendors
      const never = await timed(session.call({ clock, timeoutMs: TIMEOUT_MS, fetch: neverSettles }));
      expect(never.error.code).toBe('timeout');
      expect(never.elapsed).toBeLessThan(TIMEOUT_MS + 500);
      session.fake.inject({ type: 'stall' });
      const dropped = await timed(session.call({ clock, timeoutMs: TIMEOUT_MS, fetch: dropsTheSignal }));
      expect(dropped.error.code).toBe('timeout');
      expect(dropped.elapsed).toBeLessThan(TIMEOUT_MS + 500);
      measured.push(`${vendor}: never-settling fetch ${Math.round(never.elapsed)} ms, signal-dropping fetch ${Math.round(dropped.elapsed)} ms`);
    } finally {
      await session.fake.close();
    }
  });

  it('never follows a redirect: the other origin sees nothing, and the error says why', async () => {
    const session = await start(now);
    const elsewhere = await start(now);
    try {
      await session.call({ clock });
      for (const status of [301, 302, 303, 307, 308] as const) {
        session.fake.inject({ type: 'redirect', status, to: elsewhere.fake.url }, 1);
        const { error } = await timed(session.call({ clock }));
        expect(error.code).toBe('invalid_response');
        expect(error.status).toBe(status);
        expect(error.message).toMatch(/redirect/);
        expect(error.message).not.toContain(elsewhere.fake.url);
      }
      expect(elsewhere.fake.requests).toEqual([]);
    } finally {
      await session.fake.close();
      await elsewhere.fake.close();
    }
  });

  it('refuses a redirect that a custom fetch followed by itself', async () => {
    const session = await start(now);
    const elsewhere = await start(now);
    try {
      await session.call({ clock });
      session.fake.inject({ type: 'redirect', status: 307, to: elsewhere.fake.url }, 1);
      const follows: typeof fetch = (input) => fetch(new Request(input as Request, { redirect: 'follow' }));
      const { error } = await timed(session.call({ clock, fetch: follows }));
      expect(error.code).toBe('invalid_response');
      expect(error.message).toMatch(/redirect/);
    } finally {
      await session.fake.close();
      await elsewhere.fake.close();
    }
  });

  it('caps an absurd lifetime (milliseconds sent as seconds) at a day at most', async () => {
    const session = await start(now);
    try {
      await session.call({ clock });
      session.fake.inject({ type: 'mutate', change: (json) => breakage.lifetime(json, 7_200_000) }, 1);
      const token = await session.call({ clock });
      expect(token.expiresAt - now()).toBeGreaterThan(0);
      expect(token.expiresAt - now()).toBeLessThanOrEqual(86_400_000);
      measured.push(`${vendor}: expires_in 7200000 s cached for ${(token.expiresAt - now()) / 3_600_000} h`);
    } finally {
      await session.fake.close();
    }
  });

  it('refuses a misspelt option at creation, naming the option meant, before sending anything', async () => {
    const session = await start(now);
    try {
      const misspelt = { clock, baseURL: session.fake.url } as CommonOptionsForTests as CommonOptions;
      // Creation throws at once (synchronously, for most vendors): caught here as a rejection.
      const { error } = await timed(Promise.resolve().then(() => session.call(misspelt)));
      expect(error.code).toBe('invalid_configuration');
      expect(error.message).toContain('"baseURL"');
      expect(error.message).toContain('did you mean "baseUrl"');
      const requests = session.fake.requests.length;
      const { error: other } = await timed(Promise.resolve().then(() => session.call({ clock, timeOutMs: 5 } as CommonOptionsForTests as CommonOptions)));
      expect(other.message).toContain('did you mean "timeoutMs"');
      expect(session.fake.requests.length).toBe(requests);
    } finally {
      await session.fake.close();
    }
  });
});
