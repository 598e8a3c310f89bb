import { describe, expect, it } from 'vitest';
import { TokenError } from '../src/index.js';
import { defineVendor } from '../src/vendor-kit.js';
import { requireArgument, stringProblem } from '../src/vendor-options.js';

const createEbaasLike = defineVendor<{ '/token': { get: { parameters: {}; responses: {} } } }>()({
  name: 'ebaas',
  baseUrl: { required: true },
  options: { clientSecret: { type: 'string', required: true, secret: true, doc: 'The secret.' } },
  grants: {},
});
const requireStringOption = (_vendor: string, value: unknown, _name: string) =>
  createEbaasLike({ clientId: 'id', clientSecret: value as string, baseUrl: 'https://etc.example' });

function thrown(run: () => void): TokenError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return error as TokenError;
  }
  throw new Error('expected a TokenError');
}

const BAD = [
  ['undefined', undefined, 'is required'],
  ['null', null, 'is required'],
  ['a number', 42, 'must be a string'],
  ['an empty string', '', 'must not be empty'],
  ['a string with surrounding whitespace', ' s3cr3t\n', 'has leading or trailing whitespace (a copy-paste slip?)'],
] as const;

describe('stringProblem', () => {
  it.each(BAD)('names what is wrong with %s', (_name, value, problem) => {
    expect(stringProblem(value)).toBe(problem);
  });

  it('finds nothing wrong with a non-empty string, inner spaces included', () => {
    expect(stringProblem('ga1')).toBeUndefined();
    expect(stringProblem('hotel manager')).toBeUndefined();
  });
});

describe('requireArgument', () => {
  it.each(BAD)('rejects %s with invalid_request, naming the argument and the call', (_name, value, problem) => {
    const error = thrown(() => requireArgument('wps', value, 'code', 'exchangeCode'));
    expect(error.code).toBe('invalid_request');
    expect(error.vendor).toBe('wps');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`wps exchangeCode: code ${problem}; nothing was sent.`);
  });

  it('never quotes the value it rejects', () => {
    const error = thrown(() => requireArgument('fantem', ' 567030884C7EA513 ', 'refreshToken', 'refresh'));
    expect(error.message).not.toContain('567030884C7EA513');
    expect(JSON.stringify(error)).not.toContain('567030884C7EA513');
  });

  it('accepts a good argument and narrows its type', () => {
    const value: unknown = 'ga1';
    requireArgument('wps', value, 'code', 'exchangeCode');
    expect(value.length).toBe(3);
  });
});

describe("a definition's string option", () => {
  it.each(BAD)('rejects %s with invalid_configuration, naming the option', (_name, value, problem) => {
    const error = thrown(() => requireStringOption('ebaas', value, 'clientSecret'));
    expect(error.code).toBe('invalid_configuration');
    expect(error.message).toBe(`create ebaas client: clientSecret ${problem}`);
    expect(error.message).not.toContain('s3cr3t');
  });

  it('accepts a good option', () => {
    expect(() => requireStringOption('ebaas', 'id', 'clientSecret')).not.toThrow();
  });
});
