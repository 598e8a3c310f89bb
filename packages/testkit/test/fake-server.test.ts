import { describe, expect, it } from 'vitest';
import { loadSpecValidator, refusedUrl, startFakeServer } from '../src/index.js';

describe('spec validator', () => {
  const dushu = loadSpecValidator('dushu');

  it('accepts the documented answer and names what breaks the spec', () => {
    const documented = { value: 'eyJ…', expiresIn: 7199, expiration: 1566788088019, tokenType: 'bearer', scope: ['ALL'] };
    expect(dushu.checkResponse('POST', '/oauth/token', 200, 'application/json', documented)).toBeUndefined();
    expect(dushu.checkResponse('POST', '/oauth/token', 200, 'application/json', { ...documented, expiresIn: '7199' })).toMatch(/expiresIn/);
    expect(dushu.checkResponse('POST', '/oauth/token', 418, 'application/json', {})).toMatch(/not documented/);
    expect(dushu.checkResponse('GET', '/oauth/token', 200, 'application/json', {})).toMatch(/not in the dushu spec/);
  });
});

describe('fake server', () => {
  it('parses multipart and urlencoded bodies', async () => {
    const server = await startFakeServer({ handle: () => ({ status: 204 }) });
    const form = new FormData();
    form.set('grant_type', 'authorization_code');
    form.set('code', 'a b&c');
    await fetch(server.url, { method: 'POST', body: form });
    await fetch(server.url, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
    expect(Object.fromEntries(server.requests[0]!.form)).toEqual({ grant_type: 'authorization_code', code: 'a b&c' });
    expect(server.requests[0]!.mediaType).toBe('multipart/form-data');
    expect(Object.fromEntries(server.requests[1]!.form)).toEqual({ grant_type: 'refresh_token' });
    await server.close();
  });

  it('gives a URL where connections are refused', async () => {
    const error = await fetch(await refusedUrl()).catch((reason: unknown) => reason);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });
});
