import { describe, expect, it } from 'vitest';
import { oauthErrorDetails, readOAuthErrorBody } from '../src/answer-error.js';

describe('readOAuthErrorBody', () => {
  it('recognises a well-formed RFC 6749 §5.2 body, extension members included', () => {
    expect(readOAuthErrorBody({ error: 'invalid_grant', error_description: 'expired', error_uri: 'https://x', trace_id: 'a' })).toEqual({
      error: 'invalid_grant',
      error_description: 'expired',
      error_uri: 'https://x',
    });
  });

  it.each([
    ['not an object', '<html>'],
    ['an array', [{ error: 'invalid_grant' }]],
    ['error missing', { error_description: 'x' }],
    ['error not a string', { error: 400 }],
    ['error with a space (Spring Boot page body)', { error: 'Bad Request', status: 400, path: '/oauth/token' }],
    ['error with a quote', { error: 'in"valid' }],
    ['description not a string', { error: 'invalid_grant', error_description: { text: 'x' } }],
    ['uri not a string', { error: 'invalid_grant', error_uri: 7 }],
    ['a token answer', { error: 'invalid_grant', access_token: 'x' }],
  ])('refuses %s', (_, body) => {
    expect(readOAuthErrorBody(body)).toBeUndefined();
  });
});

describe('oauthErrorDetails', () => {
  it('names the code from error, but keeps 429 and 5xx retryable', () => {
    expect(oauthErrorDetails({ status: 400, json: { error: 'invalid_grant' } })?.code).toBe('invalid_grant');
    expect(oauthErrorDetails({ status: 503, json: { error: 'invalid_grant' } })?.code).toBe('server_error');
    expect(oauthErrorDetails({ status: 429, json: { error: 'invalid_client' } })?.code).toBe('rate_limited');
    expect(oauthErrorDetails({ status: 401, json: { error: 'x_custom' } })?.code).toBe('invalid_client');
    expect(oauthErrorDetails({ status: 200, json: { error: 'x_custom' } })?.code).toBe('invalid_response');
  });
});
