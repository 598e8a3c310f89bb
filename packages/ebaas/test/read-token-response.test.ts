import { describe, expect, it } from 'vitest';
import type { TokenEndpointResponse } from '@token-clients/core/vendor-kit';
import { readTokenResponse } from '../src/read-token-response.js';

/** An answer as core hands it to the reader. */
function answer(json: unknown, receivedAt: number, headers: Record<string, string> = {}, status = 200): TokenEndpointResponse {
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: new Headers({ 'content-type': 'application/json;charset=UTF-8', ...headers }),
    json,
    response: new Response(null, { status }),
    receivedAt,
  };
}

const documented = {
  request_id: 'cc67513b-9b00-4283-a966-80153fd3ecfb',
  code: '000',
  msg: '成功',
  data: {
    access_token:
      'eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJhY2NvdW50IiwiaWF0IjoxNjIzOTk4NjA1LCJpc3MiOiJvYXV0aF9hY2Nlc3NfdG9rZW4ifQ.0WcxU0kOj0D0TWd9XEaksvHYOu9oU78TgXbibo9kc3c',
    expired: '2021-06-18 16:43:26',
  },
};
const issuedAt = 1623998605_000; // the example token's iat

describe('readTokenResponse', () => {
  it('reads the document example: a token valid 2 h + 1 s from its iat', () => {
    const token = readTokenResponse(answer(documented, issuedAt));
    expect(token.accessToken).toBe(documented.data.access_token);
    expect(token.tokenType).toBe('bearer');
    expect(token.expiresAt).toBe(issuedAt + 7201_000);
    expect(token.raw).toBe(documented);
  });

  it('corrects by the Date header of the answer', () => {
    // The vendor's clock says 14:43:25 (UTC+8) while ours says 5 minutes later.
    const received = issuedAt + 300_000;
    const token = readTokenResponse(answer(documented, received, { date: new Date(issuedAt).toUTCString() }));
    expect(token.expiresAt).toBe(received + 7201_000 - 1000);
  });

  it('ignores an unreadable Date header', () => {
    const token = readTokenResponse(answer(documented, issuedAt, { date: 'yesterday' }));
    expect(token.expiresAt).toBe(issuedAt + 7201_000);
  });

  it.each([
    ['403006', 'client_id不正确'],
    ['403007', 'client_secret不正确'],
  ])('throws the documented error %s as invalid_client', (code, msg) => {
    const body = { request_id: documented.request_id, code, msg, data: null };
    expect(() => readTokenResponse(answer(body, issuedAt))).toThrow(
      expect.objectContaining({ code: 'invalid_client', vendorCode: code, vendorMessage: msg, requestId: documented.request_id }),
    );
  });

  it('keeps the request id of a success envelope whose token is unusable', () => {
    const body = { ...documented, data: { ...documented.data, expired: '2021-06-18 16:43' } };
    expect(() => readTokenResponse(answer(body, issuedAt))).toThrow(
      expect.objectContaining({ code: 'invalid_response', vendorCode: '000', vendorMessage: '成功', requestId: documented.request_id }),
    );
  });

  it('keeps the request id of a broken envelope under an HTTP error', () => {
    const body = { request_id: documented.request_id, code: 500, msg: '系统异常', data: null };
    expect(() => readTokenResponse(answer(body, issuedAt, {}, 500))).toThrow(
      expect.objectContaining({ code: 'server_error', vendorMessage: '系统异常', requestId: documented.request_id }),
    );
  });

  it('reads the message of an error that has no envelope', () => {
    const body = { timestamp: '2021-06-18T06:43:25.000+00:00', status: 400, error: 'Bad Request', path: '/oauth/getAccessToken' };
    expect(() => readTokenResponse(answer(body, issuedAt, {}, 400))).toThrow(
      expect.objectContaining({ code: 'invalid_request', status: 400, vendorMessage: 'Bad Request', requestId: undefined }),
    );
  });
});
