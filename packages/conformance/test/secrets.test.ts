/**
 * No secret — client secret, authorization code, refresh token, access token — ever shows, in any encoding
 * (verbatim, percent-encoded, form-encoded, base64, base64url), in `String()`, `util.inspect` (hidden properties
 * included), `JSON.stringify` or an error message of any client, provider, store or error, nor in an error's
 * causes (their own properties and `cause` chains, thrown strings and objects) or its kept body, for all five
 * vendors (ebaas and dushu send their secret in the URL).
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MemoryStore, TokenError, type TokenProviderEvent } from '@token-clients/core';
import type { Fault } from '@token-clients/testkit';
import { VENDORS } from './vendors.js';

/** Every way a user might print an object. */
function renderings(value: unknown): string[] {
  const shown = [
    String(value),
    inspect(value, { depth: Number.POSITIVE_INFINITY }),
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    JSON.stringify(value) ?? '',
  ];
  if (value instanceof Error) {
    shown.push(value.message, value.stack ?? '', inspect(value.cause, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
    shown.push(inspect((value as TokenError).body, { depth: Number.POSITIVE_INFINITY }), JSON.stringify((value as TokenError).body) ?? '');
  }
  return shown;
}

/** A secret as it may appear once encoded. */
function encodings(secret: string): string[] {
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const base64 = Buffer.from(secret).toString('base64');
  const base64url = Buffer.from(secret).toString('base64url');
  return [...new Set([secret, encodeURIComponent(secret), encodeURI(secret), form, base64, base64url])];
}

const ERROR_FAULTS: Fault[] = [
  { type: 'truncated' }, // the half body holds half a token
  { type: 'status', status: 502 },
  { type: 'reset' },
  { type: 'html', status: 200 },
];

/**
 * Custom fetches that fail the way real wrappers do, each carrying the request — URL and body, where the secrets
 * are — in a different place: an `.url` property, a `cause.cause` chain, a thrown string, a thrown plain object.
 */
const LEAKY_FETCHES: ((request: Request) => Promise<Response>)[] = [
  async (request) => {
    throw Object.assign(new TypeError('fetch failed'), { url: request.url, body: await request.text() });
  },
  async (request) => {
    const body = await request.text();
    throw new Error('request failed', { cause: new Error('socket hang up', { cause: new Error(`${request.method} ${request.url} ${body}`) }) });
  },
  async (request) => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless wrapper does
    throw `failed: ${request.url} ${await request.text()}`;
  },
  async (request) => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless wrapper does
    throw { url: request.url, options: { body: await request.text(), headers: Object.fromEntries(request.headers) } };
  },
];

describe.each(VENDORS)('$vendor', ({ start, breakage }) => {
  it('shows no secret, in any encoding, through any client, provider, store, event, error, cause or kept body', async () => {
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
      const faults: Fault[] = [
        ...ERROR_FAULTS,
        { type: 'mutate', change: breakage.failure.change, status: breakage.failure.status } as Fault,
        // An unusable answer that still holds a live access (and refresh) token, kept on the error's body.
        { type: 'mutate', change: (json) => breakage.lifetime(json, -5) },
        { type: 'mutate', change: (json) => breakage.token(json, `${breakage.token({}, 'x') && 'bad\r\n'}${'t'.repeat(8)}`) },
      ];
      for (const fault of faults) {
        session.fake.inject(fault, 1);
        const error = await session.call({ clock, timeoutMs: 500 }).catch((reason: unknown) => reason);
        expect(error).toBeInstanceOf(TokenError);
        shown.push(error);
      }
      for (const leaky of LEAKY_FETCHES) {
        const error = await session.call({ clock, timeoutMs: 500, fetch: leaky as typeof fetch }).catch((reason: unknown) => reason);
        expect(error).toBeInstanceOf(TokenError);
        expect((error as TokenError).code).toBe('network_error');
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
        for (const secret of secrets) {
          for (const encoded of encodings(secret)) expect(text, `${secret} leaked as ${encoded}`).not.toContain(encoded);
        }
      }
    }
  });
});
