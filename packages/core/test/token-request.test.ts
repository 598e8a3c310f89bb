/**
 * The vendor kit's one entry point: it derives what to redact from the fields named secret and from the answer's
 * token fields, refuses a `send` that bypasses its guarded fetch, and publishes the `token-clients:request`
 * tracing channel without ever carrying a token.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS, TokenError, type TokenRequestContext } from '../src/index.js';
import { sendTokenRequest, vendorError, type TokenRequestInit } from '../src/vendor-kit.js';

const SECRET = 'cs/+secret==';
const REFRESH = 'rt-5f1c9a7e';
const ACCESS = 'at-live-0123456789';
const client = {
  vendor: 'test',
  options: { baseUrl: 'https://vendor.example', timeoutMs: 1000, clock: { now: () => 1_000 }, fetch: fakeFetch },
};

let answer: { status: number; body: string } = { status: 200, body: '{}' };
async function fakeFetch(): Promise<Response> {
  return new Response(answer.body, { status: answer.status, headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' } });
}

/** What openapi-fetch does with the init: calls its fetch with a Request, and reads the body as text. */
async function send(init: TokenRequestInit) {
  const response = await init.fetch(new Request('https://vendor.example/token', { method: 'POST', signal: init.signal }));
  const text = await response.text();
  return response.ok ? { data: text, response } : { error: text, response };
}

const request = (overrides: Partial<Parameters<typeof sendTokenRequest>[1]> = {}) => ({
  grant: 'refresh_token',
  method: 'POST',
  path: '/token',
  fields: { client_id: 'id', client_secret: SECRET, refresh_token: REFRESH },
  secretFields: ['client_secret', 'refresh_token'],
  send,
  read: (a: Parameters<Parameters<typeof sendTokenRequest>[1]['read']>[0]) => {
    if (!a.ok) throw vendorError('test', a, { vendorMessage: String((a.json as { msg?: string })?.msg) });
    return { accessToken: (a.json as { access_token: string }).access_token, tokenType: 'bearer', expiresAt: 5_000, raw: a.json };
  },
  ...overrides,
});

afterEach(() => {
  answer = { status: 200, body: '{}' };
});

describe('sendTokenRequest', () => {
  it('redacts the values of the fields named secret, and the answer’s own tokens, from every rendering', async () => {
    answer = { status: 400, body: JSON.stringify({ msg: `bad ${encodeURIComponent(SECRET)} and ${REFRESH}`, access_token: ACCESS }) };
    const error = await sendTokenRequest(client, request()).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TokenError);
    const shown = [String(error), JSON.stringify(error), inspect(error, { showHidden: true, depth: 8 })].join('\n');
    for (const secret of [SECRET, encodeURIComponent(SECRET), REFRESH, ACCESS]) expect(shown).not.toContain(secret);
    expect((error as TokenError).vendorMessage).toBe('bad [redacted] and [redacted]');
  });

  it('refuses a send() that does not go through the fetch it is given', async () => {
    const bypass = request({ send: async () => ({ data: '{}', response: new Response('{}') }) });
    const error = (await sendTokenRequest(client, bypass).catch((reason: unknown) => reason)) as TokenError;
    expect(error.code).toBe('invalid_configuration');
    expect(error.message).toMatch(/spread the init/);
  });

  it('publishes token-clients:request with the documented fields and no token', async () => {
    answer = { status: 200, body: JSON.stringify({ access_token: ACCESS }) };
    const seen: TokenRequestContext[] = [];
    const channel = tracingChannel<unknown, TokenRequestContext>(CHANNELS.request);
    const handlers = { start: (c: TokenRequestContext) => void seen.push(c), asyncEnd: () => {}, end: () => {}, asyncStart: () => {}, error: () => {} };
    channel.subscribe(handlers);
    try {
      const token = await sendTokenRequest(client, request());
      expect(token.accessToken).toBe(ACCESS);
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ vendor: 'test', grant: 'refresh_token', url: 'https://vendor.example/token', method: 'POST' });
    expect(seen[0]!.result).toEqual({ status: 200, requestId: 'req-1', expiresAt: 5_000 });
    expect(inspect(seen[0], { depth: 8, showHidden: true })).not.toContain(ACCESS);
  });
});
