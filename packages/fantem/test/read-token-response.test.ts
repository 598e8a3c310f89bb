// The reader on answers the fake gateway does not give (it follows the document): undocumented error
// bodies, and a 400 to a request that carried no code or refresh token.
import { describe, expect, it } from 'vitest';
import type { TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import { TokenError } from '../src/index.js';
// The rule the client applies after reading a refresh answer (the definition's keepsRefreshToken).
import { keepRefreshToken } from '../../core/src/keep-refresh-token.js';
import { readTokenResponse } from '../src/read-token-response.js';

/** What was sent: the grant, and the code or refresh token (a secret the answer may echo). */
interface FantemGrantRequest {
  grantType: 'authorization_code' | 'refresh_token';
  credential?: string;
}

/** The reading as the client applies it: a refresh keeps the refresh token sent (ruling 5, core's keepRefreshToken). */
function readAndKeep(answer: TokenEndpointResponse, request: FantemGrantRequest) {
  const token = readTokenResponse(answer);
  return request.grantType === 'refresh_token' && request.credential ? keepRefreshToken(token, request.credential) : token;
}

const RECEIVED_AT = Date.UTC(2026, 10, 22, 8, 0, 0);

/** An answer as core hands it to the reader; `secrets` are those the request carried. */
function answer(status: number, body: string, contentType = 'application/json', secrets: readonly string[] = []): TokenEndpointResponse {
  let json: unknown;
  let text: string | undefined;
  try {
    json = JSON.parse(body);
  } catch {
    text = body;
  }
  const headers = new Headers({ 'content-type': contentType });
  return { status, ok: status >= 200 && status < 300, headers, json, text, response: new Response(null, { status, headers }), receivedAt: RECEIVED_AT, secrets };
}

function failure(run: () => unknown): TokenError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return error as TokenError;
  }
  throw new Error('expected a TokenError');
}

const exchange: FantemGrantRequest = { grantType: 'authorization_code', credential: 'bcb09cffbe2c4d31' };
const refresh: FantemGrantRequest = { grantType: 'refresh_token', credential: '567030884C7EA513FB843843859A58C3' };

describe('readTokenResponse', () => {
  it('reads the document’s authorization-code example', () => {
    const body = '{"access_token":"294D412BD5A20464043F2381EC3EB6C7","refresh_token":"567030884C7EA513FB843843859A58C3","expires_in":36000}';
    expect(readAndKeep(answer(200, body), exchange)).toEqual({
      accessToken: '294D412BD5A20464043F2381EC3EB6C7',
      tokenType: 'bearer',
      expiresAt: RECEIVED_AT + 36_000_000,
      refreshToken: '567030884C7EA513FB843843859A58C3',
      raw: JSON.parse(body),
    });
  });

  it('keeps the refresh token that was sent when the refresh answer has none (ruling 5)', () => {
    const token = readAndKeep(answer(200, '{"access_token":"294D412BD5A20464043F2381EC3EB6C7","expires_in":"36000"}'), refresh);
    expect(token.refreshToken).toBe('567030884C7EA513FB843843859A58C3');
    expect(token.expiresAt).toBe(RECEIVED_AT + 36_000_000);
  });

  it('never turns a spent code into a refresh token', () => {
    const token = readAndKeep(answer(200, '{"access_token":"294D412BD5A20464043F2381EC3EB6C7","expires_in":36000}'), exchange);
    expect(token.refreshToken).toBeUndefined();
  });

  it('maps a bare 400 to invalid_grant: both grants carry a code or refresh token (ruling 6)', () => {
    const error = failure(() => readAndKeep(answer(400, '', 'text/plain'), { grantType: 'refresh_token' }));
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
  });

  it('reads an RFC 6749 error body by its error (ruling 11), keeping its code and description', () => {
    const error = failure(() =>
      readAndKeep(answer(400, '{"error":"invalid_client","error_description":"client not found"}'), refresh),
    );
    expect(error.code).toBe('invalid_client');
    expect(error.vendorCode).toBe('invalid_client');
    expect(error.vendorMessage).toBe('client not found');
    expect(error.body).toEqual({ error: 'invalid_client', error_description: 'client not found' });
  });

  it('keeps a numeric vendor code and a `message` from a JSON error body', () => {
    const error = failure(() => readAndKeep(answer(400, '{"code":40001,"message":"refreshToken不存在"}'), refresh));
    expect(error.vendorCode).toBe('40001');
    expect(error.vendorMessage).toBe('refreshToken不存在');
  });

  it('redacts the code from a text that quotes it, in the message and in the kept body', () => {
    const error = failure(() => readAndKeep(answer(400, 'code bcb09cffbe2c4d31 不存在', 'text/plain', ['bcb09cffbe2c4d31']), exchange));
    expect(error.vendorMessage).toBe('code [redacted] 不存在');
    expect(error.message).not.toContain('bcb09cffbe2c4d31');
    expect(JSON.stringify(error)).not.toContain('bcb09cffbe2c4d31');
    expect(error.body).toBe('code [redacted] 不存在');
  });

  it('redacts another secret that was sent too', () => {
    const sent = ['bcb09cffbe2c4d31', 'alexa-linking-secret'];
    const error = failure(() => readAndKeep(answer(400, 'bad client_secret alexa-linking-secret', 'text/plain', sent), exchange));
    expect(error.vendorMessage).toBe('bad client_secret [redacted]');
    expect(error.message).not.toContain('alexa-linking-secret');
    expect(JSON.stringify(error)).not.toContain('alexa-linking-secret');
  });

  it('redacts a secret from a JSON error body’s code and message', () => {
    const body = '{"error":"567030884C7EA513FB843843859A58C3","message":"refreshToken 567030884C7EA513FB843843859A58C3 不存在"}';
    const error = failure(() => readAndKeep(answer(400, body, 'application/json', [refresh.credential!]), refresh));
    expect(error.vendorCode).toBe('[redacted]');
    expect(error.vendorMessage).toBe('refreshToken [redacted] 不存在');
    expect(error.message).not.toContain(refresh.credential);
  });

  it('does not take an HTML page or a long text as the message', () => {
    const html = failure(() => readAndKeep(answer(400, '<html><body>Bad Request</body></html>', 'text/html'), exchange));
    expect(html.vendorMessage).toBeUndefined();
    const long = failure(() => readAndKeep(answer(400, 'x'.repeat(500), 'text/plain'), exchange));
    expect(long.vendorMessage).toBeUndefined();
    expect(long.body).toBe('x'.repeat(500));
  });

  it('limits the kept body', () => {
    const error = failure(() => readAndKeep(answer(400, 'y'.repeat(100_000), 'text/plain'), exchange));
    expect((error.body as string).length).toBeLessThan(100_000);
  });
});
