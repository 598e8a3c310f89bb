import { describe, expect, it } from 'vitest';
import { vendorFetch } from '../src/transport.js';

/** `不正确` in GBK, as a Chinese vendor's error message arrives. */
const GBK = new Uint8Array([0xb2, 0xbb, 0xd5, 0xfd, 0xc8, 0xb7]);

const answering = (body: BodyInit, contentType: string) => async () => new Response(body, { headers: { 'content-type': contentType } });

describe('vendorFetch', () => {
  it('re-encodes a body in another charset as UTF-8, the way openapi-fetch reads it', async () => {
    const json = new Uint8Array([...new TextEncoder().encode('{"msg":"'), ...GBK, ...new TextEncoder().encode('"}')]);
    const response = await vendorFetch(answering(json, 'application/json; charset=GBK'))(new Request('https://vendor.example/token'));
    expect(await response.json()).toEqual({ msg: '不正确' });
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('reads UTF-8 with a byte-order mark, and leaves an unknown charset to UTF-8', async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}')]);
    expect(await (await vendorFetch(answering(bom, 'application/json;charset=UTF-8'))(new Request('https://v.example'))).json()).toEqual({ a: 1 });
    expect(await (await vendorFetch(answering('{"a":2}', 'application/json; charset=x-unknown'))(new Request('https://v.example'))).json()).toEqual({ a: 2 });
  });
});
