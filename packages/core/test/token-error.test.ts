import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TokenError } from '../src/index.js';

describe('TokenError', () => {
  const response = new Response('{"access_token":"leaked-token"}', { status: 500 });
  const error = new TokenError({
    code: 'server_error',
    vendor: 'ebaas',
    message: 'ebaas token request failed (HTTP 500)',
    status: 500,
    requestId: 'req-1',
    response,
    body: '{"access_token":"leaked-token"}',
  });

  it('defaults retryable from the code', () => {
    expect(error.retryable).toBe(true);
    expect(new TokenError({ code: 'invalid_client', vendor: 'x', message: 'm' }).retryable).toBe(false);
  });

  it('keeps the response and body but never shows them', () => {
    expect(error.response).toBe(response);
    expect(error.body).toContain('leaked-token');
    expect(Object.keys(error)).not.toContain('response');
    expect(JSON.stringify(error)).not.toContain('leaked-token');
    expect(inspect(error)).not.toContain('leaked-token');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'server_error', vendor: 'ebaas', requestId: 'req-1' });
  });

  it('is recognised by instanceof across copies of the class (ESM and CommonJS builds)', () => {
    const foreign = Object.create(Object.prototype, { [Symbol.for('@token-clients/core.TokenError')]: { value: true } });
    expect(foreign instanceof TokenError).toBe(true);
    expect(new Error('plain') instanceof TokenError).toBe(false);
    class Sub extends TokenError {}
    expect(error instanceof Sub).toBe(false);
  });
});
