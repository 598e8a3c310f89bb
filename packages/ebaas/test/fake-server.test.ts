import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEbaasFake, type EbaasFake, failure } from '@token-clients/testkit';
import { createEbaasClient } from '../src/index.js';

// The fake must reject a misplaced request the way the vendor's Spring server would, or a client bug that
// puts the credentials in the wrong place would pass its tests.
let fake: EbaasFake;
const now = Date.UTC(2026, 10, 22, 8, 0, 0);

beforeEach(async () => {
  fake = await startEbaasFake({ now: () => now });
});
afterEach(async () => {
  expect(fake.specViolations).toEqual([]);
  await fake.close();
});

/** Sends a request that fetch would refuse to send (a GET with a body). */
function rawRequest(method: string, path: string, body: string, contentType: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // An explicit Content-Length: Node sends a GET body unframed otherwise, and the server cannot read it.
    const headers = { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) };
    const outgoing = request(`${fake.url}${path}`, { method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const credentials = () => new URLSearchParams({ client_id: fake.clientId, client_secret: fake.clientSecret });

describe('the ebaas fake', () => {
  it('answers a POST with 405 and Allow: GET, even with the right query string', async () => {
    const response = await fetch(`${fake.url}/oauth/getAccessToken?${credentials()}`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(await response.json()).toMatchObject({ status: 405, error: 'Method Not Allowed', path: '/oauth/getAccessToken' });

    const form = await fetch(`${fake.url}/oauth/getAccessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: credentials(),
    });
    expect(form.status).toBe(405);
    expect(fake.issued).toEqual([]);
  });

  it('treats parameters sent in a form body of a GET as missing: 400 with Spring Boot\'s error body', async () => {
    // fetch refuses a GET with a body; a raw request sends one, as some HTTP libraries do.
    const response = await rawRequest('GET', '/oauth/getAccessToken', credentials().toString(), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      timestamp: '2026-11-22T08:00:00.000+00:00',
      status: 400,
      error: 'Bad Request',
      path: '/oauth/getAccessToken',
    });
    expect(fake.requests[0]?.form.get('client_secret')).toBe(fake.clientSecret);
    expect(fake.requestIds).toEqual([]);
    expect(fake.issued).toEqual([]);
  });

  it('answers a query string without client_secret with the same 400', async () => {
    const response = await fetch(`${fake.url}/oauth/getAccessToken?client_id=${fake.clientId}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, error: 'Bad Request' });
  });

  it('answers an unknown path with 404', async () => {
    const response = await fetch(`${fake.url}/oauth/token?${credentials()}`);
    expect(response.status).toBe(404);
  });

  it('sends the credential errors as HTTP 200 envelopes with a fresh request id each', async () => {
    const wrongId = await fetch(`${fake.url}/oauth/getAccessToken?client_id=x&client_secret=${fake.clientSecret}`);
    const wrongSecret = await fetch(`${fake.url}/oauth/getAccessToken?client_id=${fake.clientId}&client_secret=x`);
    expect(wrongId.status).toBe(200);
    expect(wrongSecret.status).toBe(200);
    expect(await wrongId.json()).toEqual({ request_id: fake.requestIds[0], code: '403006', msg: 'client_id不正确', data: null });
    expect(await wrongSecret.json()).toEqual({ request_id: fake.requestIds[1], code: '403007', msg: 'client_secret不正确', data: null });
    expect(fake.requestIds[0]).not.toBe(fake.requestIds[1]);
  });

  it('counts what it issued: one distinct token per success', async () => {
    const ebaas = createEbaasClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now: () => now } });
    const first = await ebaas.requestToken();
    const second = await ebaas.requestToken();
    expect(fake.issued).toEqual([first.accessToken, second.accessToken]);
    expect(first.accessToken).not.toBe(second.accessToken);
    expect(fake.requestIds).toHaveLength(2);
  });

  it('makes a client whose query string lost a parameter fail with invalid_request', async () => {
    // What the client would meet if it put a credential anywhere but the query string.
    const ebaas = createEbaasClient({
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      baseUrl: fake.url,
      fetch: (input) => {
        const url = new URL((input as Request).url);
        url.searchParams.delete('client_secret');
        return fetch(url);
      },
    });
    const error = await failure(ebaas.requestToken());
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.vendorMessage).toBe('Bad Request');
    expect(error.retryable).toBe(false);
  });
});
