import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, createTokenProvider, TokenError } from '../src/index.js';
import { countingSource, manualClock, throughMiddleware as send } from './helpers.js';

/** An API on loopback that accepts only `validToken`, and records what it saw. */
let api: Server;
let apiUrl: string;
let validToken = '';
const seen: { path: string; authorization?: string; body: string }[] = [];

beforeAll(async () => {
  api = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      const ok = req.headers.authorization === `Bearer ${validToken}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

describe('bearerAuth', () => {
  it('adds the token to requests under the API base, and to nothing else', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken, baseUrl: `${apiUrl}/v1` });
    validToken = await provider.getAccessToken();
    const middleware = bearerAuth(provider);
    seen.length = 0;

    expect((await send(middleware, new Request(`${apiUrl}/v1/books`))).status).toBe(200);
    await send(middleware, new Request(`${apiUrl}/v10/other`));
    await send(middleware, new Request(`http://localhost:${new URL(apiUrl).port}/v1/books`));

    expect(seen.map((s) => s.authorization)).toEqual([`Bearer ${validToken}`, undefined, undefined]);
  });

  it('retries a 401 once with a fresh token, with the same body', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken, baseUrl: apiUrl });
    const middleware = bearerAuth(provider);
    validToken = 'access-2'; // the API has already moved on to the next token
    seen.length = 0;

    const response = await send(middleware, new Request(`${apiUrl}/orders`, { method: 'POST', body: '{"n":1}' }));

    expect(response.status).toBe(200);
    expect(seen.map((s) => [s.authorization, s.body])).toEqual([
      ['Bearer access-1', '{"n":1}'],
      ['Bearer access-2', '{"n":1}'],
    ]);
  });

  it('never retries more than once, and not at all while forced refreshes are rate-limited', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken, baseUrl: apiUrl });
    const middleware = bearerAuth(provider);
    validToken = 'never-valid';
    seen.length = 0;

    expect((await send(middleware, new Request(`${apiUrl}/a`))).status).toBe(401);
    expect(seen).toHaveLength(2);
    expect((await send(middleware, new Request(`${apiUrl}/b`))).status).toBe(401);
    expect(seen).toHaveLength(3);
    expect(source.calls).toBe(2);
  });

  it('refuses to guess where the token may go', () => {
    const provider = createTokenProvider({ key: 'k', requestToken: async () => { throw new Error('unused'); } });
    expect(() => bearerAuth(provider)).toThrow(TokenError);
  });
});
