import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TokenError } from '../src/index.js';
import { asJsonObject, ResponseReader, vendorError, type TokenEndpointResponse } from '../src/vendor-kit.js';
import { invalidResponse } from '../src/answer-error.js';

const SECRET = 'abcdef0123456789';
const CODE = 'ga1-one-time-code';

function answer(status: number, json: unknown, secrets?: readonly string[]): TokenEndpointResponse {
  const headers = new Headers({ 'content-type': 'application/json' });
  return {
    status,
    ok: status >= 200 && status < 300,
    headers,
    json,
    response: new Response(null, { status, headers }),
    receivedAt: 0,
    ...(secrets === undefined ? {} : { secrets }),
  };
}

const shown = (error: TokenError) => [error.message, JSON.stringify(error), inspect(error, { depth: 5 })];

describe('vendorError', () => {
  it("redacts the request's secrets from the vendor's code and message, and so from the error message", () => {
    const error = vendorError('wps', answer(400, {}, [SECRET, CODE]), {
      code: 'invalid_grant',
      vendorCode: `bad_${CODE}`,
      vendorMessage: `invalid code ${CODE} for secret ${SECRET}`,
      requestId: 'req-1',
    });
    expect(error.vendorCode).toBe('bad_[redacted]');
    expect(error.vendorMessage).toBe('invalid code [redacted] for secret [redacted]');
    expect(error.message).toBe('wps token request failed (HTTP 400: invalid code [redacted] for secret [redacted]): the code or refresh token is invalid, expired or already used; get a new one.');
    expect(error.requestId).toBe('req-1');
    for (const text of shown(error)) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(CODE);
    }
  });

  it('redacts the vendor code when it is all the vendor said', () => {
    const error = vendorError('akubela', answer(401, {}, [SECRET]), { vendorCode: SECRET });
    expect(error.vendorCode).toBe('[redacted]');
    expect(error.message).toContain('(HTTP 401: [redacted])');
  });

  it('keeps the vendor details as sent when the answer records no secrets (built by hand)', () => {
    const error = vendorError('dushu', answer(400, {}), { vendorCode: 'invalid_grant', vendorMessage: 'Bad credentials' });
    expect(error.vendorCode).toBe('invalid_grant');
    expect(error.vendorMessage).toBe('Bad credentials');
  });
});

describe('invalidResponse', () => {
  it("keeps the vendor's details, redacted, without putting them into the message", () => {
    const error = invalidResponse('ebaas', answer(200, {}, [SECRET]), 'field "data" is not a JSON object', {
      code: 'invalid_client',
      vendorCode: '000',
      vendorMessage: `成功 ${SECRET}`,
      requestId: 'req-2',
    });
    expect(error.code).toBe('invalid_response');
    expect(error.retryable).toBe(false);
    expect(error).toMatchObject({ status: 200, vendorCode: '000', vendorMessage: '成功 [redacted]', requestId: 'req-2' });
    expect(error.message).toBe(
      'ebaas sent a token response that cannot be used (HTTP 200): field "data" is not a JSON object. the answer does not follow the vendor documentation; check baseUrl, or report it to the vendor.',
    );
  });

  it('has no vendor details without them', () => {
    const error = invalidResponse('dushu', answer(200, {}), 'the body is empty');
    expect(error.vendorCode).toBeUndefined();
    expect(error.vendorMessage).toBeUndefined();
    expect(error.requestId).toBeUndefined();
    expect(Object.keys(JSON.parse(JSON.stringify(error)))).not.toContain('requestId');
  });
});

describe('ResponseReader', () => {
  it('keeps the details it was given on every error it throws', () => {
    const reader = new ResponseReader('ebaas', answer(200, { data: null }, [SECRET]), { vendorCode: '000', vendorMessage: SECRET, requestId: 'req-3' });
    const errors: TokenError[] = [];
    for (const read of [
      () => reader.object(reader.body()['data'], 'field "data"'),
      () => reader.string(reader.body(), 'access_token'),
      () => reader.lifetime(reader.body(), 'expires_in'),
      () => reader.fail('a rule of this vendor'),
    ]) {
      try {
        read();
      } catch (error) {
        errors.push(error as TokenError);
      }
    }
    expect(errors).toHaveLength(4);
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'invalid_response', vendorCode: '000', vendorMessage: '[redacted]', requestId: 'req-3' });
    }
  });

  it('throws errors without vendor details when given none', () => {
    const reader = new ResponseReader('dushu', answer(200, undefined));
    expect(() => reader.body()).toThrow(expect.objectContaining({ code: 'invalid_response', requestId: undefined }));
  });
});

describe('asJsonObject', () => {
  it('gives a JSON object back and undefined for anything else', () => {
    const object = { code: 0 };
    expect(asJsonObject(object)).toBe(object);
    for (const value of [undefined, null, [], [{ code: 0 }], 'text', 42, true]) expect(asJsonObject(value)).toBeUndefined();
  });
});

describe('ResponseReader credentials and token types', () => {
  const answer = (json: unknown): TokenEndpointResponse => ({
    status: 200,
    ok: true,
    headers: new Headers(),
    json,
    response: new Response(null),
    receivedAt: 0,
  });

  it('refuses a credential that cannot travel in a header, naming the field only', () => {
    for (const token of ['a\r\nX-Injected: 1', 'with space', 'jeton-été', 'tab\there']) {
      const reader = new ResponseReader('test', answer({ access_token: token }));
      const error = (() => {
        try {
          reader.credential(reader.body(), 'access_token');
        } catch (thrown) {
          return thrown as TokenError;
        }
        throw new Error('accepted');
      })();
      expect(error.code).toBe('invalid_response');
      expect(error.message).toContain('"access_token"');
      expect(error.message).not.toContain(token);
    }
  });

  it('reads a token type with surrounding spaces, and refuses one that is not an HTTP token', () => {
    const reader = new ResponseReader('test', answer({ token_type: ' Bearer ', bad: 'Bearer x' }));
    expect(reader.tokenType(reader.body(), 'token_type')).toBe('bearer');
    expect(() => reader.tokenType(reader.body(), 'bad')).toThrow(TokenError);
  });

  it('caps a lifetime at the vendor’s maximum', () => {
    const reader = new ResponseReader('test', answer({ expires_in: 7_200_000 }));
    expect(reader.lifetime(reader.body(), 'expires_in', 86_400)).toBe(86_400);
  });
});
