/** Bad input from callers fails when the client is created, with a clear `invalid_configuration` error. */
import { describe, expect, it } from 'vitest';
import { createAkubelaClient } from '@token-clients/akubela';
import { TokenError } from '@token-clients/core';
import { createDushuClient } from '@token-clients/dushu';
import { createEbaasClient } from '@token-clients/ebaas';
import { createFantemClient } from '@token-clients/fantem';
import { createWecomClient } from '@token-clients/wecom';
import { createWechatClient } from '@token-clients/wechat';
import { createWpsClient } from '@token-clients/wps';

const FACTORIES: [string, (options: any) => unknown, boolean][] = [
  ['dushu', createDushuClient, true],
  ['ebaas', createEbaasClient, true],
  ['wps', createWpsClient, true],
  ['akubela', createAkubelaClient, true],
  ['fantem', createFantemClient, false],
  ['wechat', createWechatClient, true],
  // Every WeCom client names the application its secret belongs to.
  ['wecom', (options) => createWecomClient({ application: '1000002', ...options }), true],
];

const valid = { clientId: 'app-id', clientSecret: 'app-secret', baseUrl: 'https://vendor.example' };

const BAD: [string, Record<string, unknown>, RegExp, boolean?][] = [
  ['a missing clientId', { clientId: undefined }, /clientId is required/],
  ['an empty clientId', { clientId: '' }, /clientId must not be empty/],
  ['a clientId that is not a string', { clientId: 42 }, /clientId must be a string/],
  ['a missing clientSecret', { clientSecret: undefined }, /clientSecret is required/, true],
  ['an empty clientSecret', { clientSecret: '' }, /clientSecret must not be empty/],
  ['a baseUrl without a scheme', { baseUrl: 'vendor.example' }, /baseUrl is not an absolute URL/],
  ['a baseUrl with another scheme', { baseUrl: 'ftp://vendor.example' }, /baseUrl must be http\(s\)/],
  ['a baseUrl with credentials', { baseUrl: 'https://user:pw@vendor.example' }, /must not contain credentials/],
  ['a negative timeout', { timeoutMs: -1 }, /timeoutMs must be a positive number/],
  ['a timeout that is not a number', { timeoutMs: '10s' }, /timeoutMs must be a positive number/],
];

describe.each(FACTORIES)('%s', (vendor, create, secretRequired) => {
  it('accepts valid options', () => {
    expect(() => create(valid)).not.toThrow();
  });

  it.each(BAD)('rejects %s at creation', (_name, override, message, onlyWhenSecretRequired) => {
    if (onlyWhenSecretRequired && !secretRequired) {
      expect(() => create({ ...valid, ...override })).not.toThrow();
      return;
    }
    let thrown: unknown;
    try {
      create({ ...valid, ...override });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TokenError);
    expect((thrown as TokenError).code).toBe('invalid_configuration');
    expect((thrown as TokenError).vendor).toBe(vendor);
    expect((thrown as TokenError).message).toMatch(message);
    expect((thrown as TokenError).message).not.toContain('app-secret');
  });
});
