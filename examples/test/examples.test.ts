// Every example runs as a user runs it — its own process, configuration from the environment — against the
// testkit fakes (and a redis-server of its own), and must succeed, print no secret, and exit by itself.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDushuFake, type DushuFake } from '@token-clients/testkit/vendors/dushu';
import { startWpsFake, type WpsFake } from '@token-clients/testkit/vendors/wps';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../packages/redis-store/test/support/redis-server.js';
import { runExample, type ExampleRun } from './run-example.js';

let dushu: DushuFake;
beforeAll(async () => {
  dushu = await startDushuFake();
});
afterAll(() => dushu?.close());

const dushuEnv = () => ({ DUSHU_APP_ID: dushu.clientId, DUSHU_APP_SECRET: dushu.clientSecret, DUSHU_BASE_URL: dushu.url });

/** An example's output never shows the client secret or a token the fake issued. */
function expectNoSecret(run: ExampleRun, secrets: string[]): void {
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

describe('dushu-token.ts (one vendor, one provider)', () => {
  it('gets a token, serves the second call from the cache, and exits', async () => {
    const before = dushu.issued.length;
    const run = await runExample('dushu-token.ts', dushuEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^dushu: a bearer token, valid for \d+ more minutes; the second call came from the cache: true\n$/);
    expect(dushu.issued.length - before).toBe(1);
    expectNoSecret(run, [dushu.clientSecret, ...dushu.issued]);
  });

  it('reports a refused secret as a TokenError code and message, and exits 1', async () => {
    const run = await runExample('dushu-token.ts', { ...dushuEnv(), DUSHU_APP_SECRET: 'not-the-secret' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^dushu: no token \(invalid_client\): /);
    expect(run.stderr).not.toContain('not-the-secret');
  });
});

describe('wps-user-token.ts (a user-token flow)', () => {
  let wps: WpsFake;
  beforeAll(async () => {
    wps = await startWpsFake();
  });
  afterAll(() => wps?.close());

  it('exchanges the code, keeps the user token in a provider, and exits', async () => {
    const redirectUri = 'https://app.example/wps/callback';
    const code = wps.issueCode({ redirectUri });
    const run = await runExample('wps-user-token.ts', {
      WPS_APP_ID: wps.clientId,
      WPS_APP_KEY: wps.clientSecret,
      WPS_BASE_URL: wps.url,
      WPS_REDIRECT_URI: redirectUri,
      WPS_CODE: code,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wps: user-42 has a bearer token, valid for \d+ more minutes, and a refresh token: true\n$/);
    expectNoSecret(run, [wps.clientSecret, code, ...wps.issued]);
  });

  it('a spent code ends in a TokenError the example reports', async () => {
    const redirectUri = 'https://app.example/wps/callback';
    const code = wps.issueCode({ redirectUri });
    const env = { WPS_APP_ID: wps.clientId, WPS_APP_KEY: wps.clientSecret, WPS_BASE_URL: wps.url, WPS_REDIRECT_URI: redirectUri, WPS_CODE: code };
    expect((await runExample('wps-user-token.ts', env)).code).toBe(0);
    const again = await runExample('wps-user-token.ts', env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^wps: invalid_grant: /);
  });
});

describe('api-client.ts (openapi-fetch with bearerAuth)', () => {
  let api: Server;
  let apiUrl: string;
  const seen: (string | undefined)[] = [];
  beforeAll(async () => {
    // The API a user calls with the vendor's token. It refuses the first token it sees, as an API does with a
    // token revoked early, so the example's one retry with a fresh token is exercised too.
    api = createServer((request, response) => {
      const authorization = request.headers.authorization;
      seen.push(authorization);
      const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
      const valid = token !== undefined && dushu.issued.includes(token) && seen.length > 1;
      response.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify(valid ? { id: request.url?.split('/').at(-1), title: 'The Art of Waiting' } : { message: 'token not accepted' }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  it('sends the token to the API, retries a 401 once with a fresh token, and exits', async () => {
    const before = dushu.issued.length;
    const run = await runExample('api-client.ts', { ...dushuEnv(), API_BASE_URL: apiUrl });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('book 42: The Art of Waiting\n');
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    expect(dushu.issued.length - before).toBe(2);
    expectNoSecret(run, [dushu.clientSecret, ...dushu.issued]);
  });
});

describe('redis-fleet.ts (two processes sharing Redis)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  it('both processes get one token from one request, and every process exits', async () => {
    const before = dushu.issued.length;
    const run = await runExample('redis-fleet.ts', {
      ...dushuEnv(),
      REDIS_URL: redis.url,
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    const [first, second] = lines.map((line) => /^process \d+: token ([0-9a-f]{12})…$/.exec(line)?.[1]);
    expect(first).toBeDefined();
    expect(first).toBe(second);
    expect(lines[2]).toBe('both processes share one token');
    expect(dushu.issued.length - before).toBe(1);
    expectNoSecret(run, [dushu.clientSecret, ...dushu.issued]);
  });
});
