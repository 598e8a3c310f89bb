import { describe, expect, it } from 'vitest';
import { ebaasErrorCode } from '../src/read-token-response.js';

describe('ebaasErrorCode', () => {
  it.each([
    ['403006', 200, 'invalid_client'],
    ['403007', 200, 'invalid_client'],
    ['403006', 403, 'invalid_client'],
    ['403007', 500, 'invalid_client'],
    ['403001', 200, 'invalid_client'],
    ['401002', 200, 'invalid_client'],
    ['400001', 200, 'invalid_request'],
    ['404001', 200, 'invalid_request'],
    ['429001', 200, 'rate_limited'],
    ['500000', 200, 'server_error'],
    ['503001', 200, 'server_error'],
    ['999999', 200, 'server_error'],
    ['-1', 200, 'server_error'],
    ['E1001', 200, 'server_error'],
    ['999999', 429, 'rate_limited'],
    ['999999', 400, 'invalid_request'],
    ['999999', 401, 'invalid_client'],
    ['999999', 502, 'server_error'],
    ['000', 500, 'server_error'],
    ['000', 429, 'rate_limited'],
  ] as const)('maps code %s under HTTP %i to %s', (code, status, expected) => {
    expect(ebaasErrorCode(code, status)).toBe(expected);
  });
});
