import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/scrub-secrets.js';
import { scrubSecrets } from '../src/scrub-secrets.js';

describe('redactSecrets', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redactSecrets('bad secret s3cr3t, code c0de, again s3cr3t', ['s3cr3t', 'c0de'])).toBe(
      'bad secret [redacted], code [redacted], again [redacted]',
    );
  });

  it('leaves text without a secret, and undefined, as they are', () => {
    expect(redactSecrets('client not found', ['s3cr3t'])).toBe('client not found');
    expect(redactSecrets(undefined, ['s3cr3t'])).toBeUndefined();
  });

  it('ignores empty secrets instead of redacting between every character', () => {
    expect(redactSecrets('client not found', ['', 's3cr3t'])).toBe('client not found');
    expect(redactSecrets('abc', [])).toBe('abc');
  });

  it('removes a secret that contains another whole, whatever the order they are given in', () => {
    for (const secrets of [['abc', 'abcdef'], ['abcdef', 'abc']]) {
      expect(redactSecrets('token abcdef, prefix abc', secrets)).toBe('token [redacted], prefix [redacted]');
    }
  });

  it('treats a secret as text, not as a pattern', () => {
    expect(redactSecrets('a.b+c a_b_c', ['a.b+c'])).toBe('[redacted] a_b_c');
  });
});

describe('scrubSecrets', () => {
  it('returns an error that quotes no secret unchanged', () => {
    const error = new Error('ECONNREFUSED');
    expect(scrubSecrets(error, ['s3cr3t'])).toBe(error);
    expect(scrubSecrets(error, [])).toBe(error);
  });

  it('copies an error that quotes a secret, redacted the same way as redactSecrets, keeping name and code', () => {
    const error = Object.assign(new TypeError('fetch failed for https://x.example/?client_secret=s3cr3t'), { code: 'E_X' });
    const scrubbed = scrubSecrets(error, ['s3cr3t']) as Error & { code?: string };
    expect(scrubbed).not.toBe(error);
    expect(scrubbed.message).toBe(redactSecrets(error.message, ['s3cr3t']));
    expect(scrubbed.stack).not.toContain('s3cr3t');
    expect(scrubbed.name).toBe('TypeError');
    expect(scrubbed.code).toBe('E_X');
  });
});
