import { TokenError } from '@token-clients/core';
import { describe, expect, it } from 'vitest';
import { bearerKey, CallerKeys } from '../src/http/caller-keys.js';
import { tokenErrorProblem } from '../src/http/problem.js';

describe('CallerKeys', () => {
  const keys = new CallerKeys([
    { name: 'billing', key: 'b'.repeat(40), apps: ['reading'] },
    { name: 'ops', key: 'o'.repeat(40), apps: [] },
  ]);

  it('finds the caller of an exact key only', () => {
    expect(keys.find('b'.repeat(40))?.name).toBe('billing');
    expect(keys.find('o'.repeat(40))?.apps.size).toBe(0);
    expect(keys.find('b'.repeat(39))).toBeUndefined();
    expect(keys.find(`${'b'.repeat(40)} `)).toBeUndefined();
    expect(keys.find('')).toBeUndefined();
  });

  it('reads the key of a Bearer header only', () => {
    expect(bearerKey('Bearer abc')).toBe('abc');
    expect(bearerKey('bearer   abc')).toBe('abc');
    expect(bearerKey('Basic abc')).toBeUndefined();
    expect(bearerKey('Bearer a b')).toBeUndefined();
    expect(bearerKey(undefined)).toBeUndefined();
  });
});

describe('problems from TokenErrors', () => {
  const problem = (code: TokenError['code'], extra: Partial<ConstructorParameters<typeof TokenError>[0]> = {}) =>
    tokenErrorProblem(new TokenError({ code, vendor: 'dushu', message: `${code} happened`, ...extra }));

  it('is 503 with a Retry-After for what retrying can mend, from the vendor\'s Retry-After when it sent one', () => {
    expect(problem('rate_limited', { retryAfterMs: 12_500, requestId: 'req-1' })).toMatchObject({ status: 503, retry_after: 13, request_id: 'req-1', retryable: true });
    expect(problem('quota_exhausted')).toMatchObject({ status: 503, retry_after: 5 });
    expect(problem('timeout').status).toBe(503);
  });

  it('is 409 for a user who must authorise again, 400 for a rejected code, 502 for the rest', () => {
    expect(problem('reauthorization_required')).toMatchObject({ status: 409, retryable: false });
    expect(problem('invalid_grant').status).toBe(400);
    expect(problem('invalid_client')).toMatchObject({ status: 502, code: 'invalid_client', vendor: 'dushu' });
    expect(problem('invalid_client').retry_after).toBeUndefined();
  });
});
