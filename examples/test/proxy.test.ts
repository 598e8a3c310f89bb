// proxy.ts through a real HTTP proxy server on loopback (`proxy`, the one the undici and proxy-agent projects
// test with): an http vendor through HTTP_PROXY, an https vendor through a CONNECT tunnel (HTTPS_PROXY), and a
// NO_PROXY host reached directly.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDushuFake, type DushuFake } from '@token-clients/testkit/vendors/dushu';
import { createProxy } from 'proxy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

let dushu: DushuFake;
let proxy: Server;
let proxyUrl: string;
/** What the proxy was asked for: `CONNECT host:port` tunnels and plain `GET http://…` requests. */
const proxied: string[] = [];
let tls: { dir: string; certPath: string; server: Server; url: string };

const listen = (server: Server) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)));
const close = (server: Server | undefined) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

beforeAll(async () => {
  dushu = await startDushuFake();
  proxy = createProxy(createHttpServer());
  proxy.on('request', (request) => proxied.push(`${request.method} ${request.url}`));
  proxy.on('connect', (request) => proxied.push(`CONNECT ${request.url}`));
  proxyUrl = `http://${await listen(proxy)}`;

  // An https vendor: a TLS front on loopback, certified for 127.0.0.1 by a throw-away self-signed certificate
  // (the example's process trusts it through NODE_EXTRA_CA_CERTS), passing each request on to the fake.
  const dir = mkdtempSync(join(tmpdir(), 'token-clients-proxy-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath], { stdio: 'ignore' });
  const fake = new URL(dushu.url);
  const server = createHttpsServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, (request, response) => {
    const upstream = httpRequest({ host: fake.hostname, port: fake.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    request.pipe(upstream);
  });
  tls = { dir, certPath, server, url: `https://${await listen(server)}` };
});
afterAll(async () => {
  await Promise.all([dushu?.close(), close(proxy), close(tls?.server)]);
  if (tls) rmSync(tls.dir, { recursive: true, force: true });
});
beforeEach(() => {
  proxied.length = 0;
});

const credentials = () => ({ DUSHU_APP_ID: dushu.clientId, DUSHU_APP_SECRET: dushu.clientSecret });

describe('proxy.ts (EnvHttpProxyAgent through the client’s fetch option)', () => {
  it('reaches an https vendor through HTTPS_PROXY with a CONNECT tunnel', async () => {
    const before = dushu.issued.length;
    const run = await runExample('proxy.ts', { ...credentials(), DUSHU_BASE_URL: tls.url, HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: tls.certPath });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`dushu: a bearer token, proxy from the environment: ${new URL(proxyUrl).host}\n`);
    expect(proxied).toEqual([`CONNECT ${new URL(tls.url).host}`]);
    expect(dushu.issued.length - before).toBe(1);
  });

  it('reaches an http vendor through HTTP_PROXY (lower case works too)', async () => {
    const run = await runExample('proxy.ts', { ...credentials(), DUSHU_BASE_URL: dushu.url, http_proxy: proxyUrl });
    expect(run.code).toBe(0);
    // undici tunnels plain http through CONNECT as well; either way the request went through the proxy.
    expect(proxied).toHaveLength(1);
    expect(proxied[0]).toMatch(new RegExp(`^(CONNECT ${new URL(dushu.url).host}|POST ${dushu.url}/)`));
  });

  it('goes direct to a host NO_PROXY names', async () => {
    const run = await runExample('proxy.ts', { ...credentials(), DUSHU_BASE_URL: tls.url, HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1', NODE_EXTRA_CA_CERTS: tls.certPath });
    expect(run.code).toBe(0);
    expect(proxied).toEqual([]);
  });

  it('a proxy that cannot be reached is a network_error the example reports', async () => {
    // A port nothing listens on: the proxy server's own, once closed, is not reusable here, so take a fresh one.
    const unused = createHttpServer();
    const address = await listen(unused);
    await close(unused);
    const run = await runExample('proxy.ts', { ...credentials(), DUSHU_BASE_URL: tls.url, HTTPS_PROXY: `http://${address}`, NODE_EXTRA_CA_CERTS: tls.certPath });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^dushu: no token \(network_error\): /);
    expect(run.stderr).not.toContain(dushu.clientSecret);
  });
});
