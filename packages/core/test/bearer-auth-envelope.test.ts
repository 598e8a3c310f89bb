/**
 * bearerAuth for APIs that take the token in the query string and report a dead token inside an HTTP 200
 * (`{errcode: 40001 | 42001}`, WeChat and WeCom): one invalidate and one retry, as for a 401.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, createTokenProvider, rejectedByErrcode } from '../src/index.js';
import { countingSource, manualClock, throughMiddleware as send } from './helpers.js';

let api: Server;
let apiUrl: string;
let validToken = '';
const seen: { token: string | null; authorization?: string; body: string }[] = [];

beforeAll(async () => {
  // An API in WeChat's manner: the token in `access_token`, every answer an HTTP 200.
  api = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('access_token');
      seen.push({ token, authorization: req.headers.authorization, body });
      const answer = token === validToken ? { errcode: 0, errmsg: 'ok', echo: body } : { errcode: 42001, errmsg: 'access_token expired' };
      res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

const options = { queryParameter: 'access_token', tokenRejected: rejectedByErrcode([40001, 40014, 42001]) };

describe('bearerAuth with queryParameter and tokenRejected', () => {
  it('sends the token as the query parameter, not a header, and keeps the other parameters', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken, baseUrl: apiUrl });
    validToken = await provider.getAccessToken();
    seen.length = 0;

    const response = await send(bearerAuth(provider, options), new Request(`${apiUrl}/cgi-bin/user/get?next_openid=o1`));
    expect(await response.json()).toMatchObject({ errcode: 0 });
    expect(seen).toEqual([{ token: validToken, authorization: undefined, body: '' }]);
  });

  it('on an errcode that says the token died, invalidates it and retries once with a new one and the same body', async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, requestToken: source.requestToken, baseUrl: apiUrl });
    await provider.getAccessToken(); // access-1, which the platform is about to end early
    validToken = 'access-2';
    seen.length = 0;

    const response = await send(bearerAuth(provider, options), new Request(`${apiUrl}/cgi-bin/message/send`, { method: 'POST', body: '{"n":1}' }));
    expect(await response.json()).toEqual({ errcode: 0, errmsg: 'ok', echo: '{"n":1}' });
    expect(seen.map((s) => s.token)).toEqual(['access-1', 'access-2']);
    expect(source.calls).toBe(2);
  });

  it('does not retry when the vendor hands back the same token, and leaves the answer readable', async () => {
    const clock = manualClock();
    const provider = createTokenProvider({
      key: 'k',
      clock,
      baseUrl: apiUrl,
      // WeCom before expiry: asked again, the same token.
      requestToken: async () => ({ accessToken: 'same', tokenType: 'bearer', expiresAt: clock.now() + 3_600_000, raw: {} }),
    });
    validToken = 'never';
    seen.length = 0;

    const response = await send(bearerAuth(provider, options), new Request(`${apiUrl}/cgi-bin/department/list`));
    expect(await response.json()).toEqual({ errcode: 42001, errmsg: 'access_token expired' });
    expect(seen).toHaveLength(1);
  });

  it('reads neither other errcodes nor non-JSON answers as a dead token', async () => {
    const reject = rejectedByErrcode([42001]);
    const json = (body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { headers: { 'content-type': type } });
    expect(await reject(json({ errcode: 42001 }))).toBe(true);
    expect(await reject(json({ errcode: 42001 }, 'text/plain'))).toBe(true);
    expect(await reject(json({ errcode: 45009 }))).toBe(false);
    expect(await reject(json({ errcode: '42001' }))).toBe(false);
    expect(await reject(json({ errcode: 42001 }, 'image/jpeg'))).toBe(false);
    expect(await reject(new Response('not json', { headers: { 'content-type': 'application/json' } }))).toBe(false);
    const response = json({ errcode: 42001 });
    await reject(response);
    expect(await response.json()).toEqual({ errcode: 42001 });
  });
});
