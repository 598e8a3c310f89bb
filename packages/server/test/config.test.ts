import { TokenError } from '@token-clients/core';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/index.js';
import { runCli, writeConfig } from './support/service-process.js';

// Each kind of mistake fails with the path of the bad field, through `token-clients check` (the bin, as an
// operator runs it) and through validateConfig (every rule, quickly).

const KEY = 'k'.repeat(40);
const DUSHU_TEST = 'https://open-platform-test.dushu.io';
const good = () => ({
  listen: { port: 8787 },
  // dushu documents no production server: the config names the test one its document gives.
  apps: { reading: { vendor: 'dushu', clientId: 'app-id', clientSecret: '${DUSHU_SECRET}', baseUrl: DUSHU_TEST } },
  callers: { billing: { key: '${BILLING_KEY}', apps: ['reading'] } },
});
const env = { DUSHU_SECRET: 'dushu-secret-value', BILLING_KEY: KEY };
const source = { file: 'config.yaml', ownerOnly: false };

function mistake(change: (config: any) => void, environment: NodeJS.ProcessEnv = env, ownerOnly = false): string {
  const config = good();
  change(config);
  try {
    validateConfig(config, { ...source, ownerOnly }, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).code).toBe('invalid_configuration');
    return (error as TokenError).message;
  }
  throw new Error('the config was accepted');
}

describe('token-clients check', () => {
  it('says a good config is valid, in YAML and in JSON', async () => {
    for (const name of ['config.yaml', 'config.json']) {
      const file = await writeConfig(good(), { name, mode: 0o644 });
      const result = await runCli(['check', '--config', file], env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('valid. 1 app(s): reading (dushu); 1 caller(s); store: memory; listen: 127.0.0.1:8787');
    }
  });

  it('names the bad field and exits 2, never printing a secret', async () => {
    const file = await writeConfig({ ...good(), apps: { reading: { vendor: 'dushu', clientId: 'app-id', clientSecret: 'literal-secret-1234', baseUrl: DUSHU_TEST } } }, { mode: 0o644 });
    const result = await runCli(['check', '--config', file], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('config apps.reading.clientSecret: is a secret written in');
    expect(result.stderr).toContain('chmod 600');
    expect(result.stderr + result.stdout).not.toContain('literal-secret-1234');
  });

  it('accepts a literal secret in a file only its owner can read', async () => {
    const file = await writeConfig({ ...good(), apps: { reading: { vendor: 'dushu', clientId: 'app-id', clientSecret: 'literal-secret-1234', baseUrl: DUSHU_TEST } } }, { mode: 0o600 });
    expect((await runCli(['check', '--config', file], env)).code).toBe(0);
  });

  it('reports a missing file, unparsable YAML and JSON without quoting the file', async () => {
    const missing = await runCli(['check', '--config', '/nonexistent/config.yaml']);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('/nonexistent/config.yaml: does not exist') });
    const yaml = await writeConfig(undefined, { raw: 'apps:\n  reading: { vendor: dushu, clientSecret: s3cr3t-in-broken-yaml\n' });
    const badYaml = await runCli(['check', '--config', yaml]);
    expect(badYaml.code).toBe(2);
    expect(badYaml.stderr).toMatch(/is not valid YAML: at line \d+, column \d+/);
    expect(badYaml.stderr).not.toContain('s3cr3t');
    const json = await writeConfig(undefined, { name: 'config.json', raw: '{"apps": {"clientSecret": "s3cr3t-in-broken-json"' });
    const badJson = await runCli(['check', '--config', json]);
    expect(badJson.stderr).toMatch(/is not valid JSON: at character \d+/);
    expect(badJson.stderr).not.toContain('s3cr3t');
  });

  it('explains its usage: no command, an unknown one, no config', async () => {
    expect((await runCli([])).code).toBe(2);
    expect(await runCli(['serve'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--config <file> is required') });
    expect(await runCli(['launch', '--config', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "launch"') });
    expect(await runCli(['token', '--config', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('name one app') });
  });
});

describe('validateConfig', () => {
  it('applies the defaults', () => {
    const config = validateConfig(good(), source, env);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(config.store).toEqual({ type: 'memory' });
    expect(config.apps.reading).toEqual({ vendor: 'dushu', options: { clientId: 'app-id', clientSecret: 'dushu-secret-value', baseUrl: DUSHU_TEST }, provider: {} });
    expect(config.callers).toEqual([{ name: 'billing', key: KEY, apps: ['reading'] }]);
    expect(config.logLevel).toBe('info');
  });

  it.each<[string, (config: any) => void, string]>([
    ['an unknown top-level field', (c) => (c.lisen = {}), 'config lisen: is not a known field'],
    ['a port out of range', (c) => (c.listen.port = 70_000), 'config listen.port: must be a whole number from 0 to 65535'],
    ['a port that is not a number', (c) => (c.listen.port = 'eighty'), 'config listen.port: must be a number'],
    ['no apps', (c) => delete c.apps, 'config apps: is required'],
    ['an empty apps', (c) => (c.apps = {}), 'config apps: is empty'],
    ['an unknown vendor', (c) => (c.apps.reading.vendor = 'dushoo'), 'config apps.reading.vendor: unknown vendor "dushoo" (one of dushu, ebaas, akubela, wps, fantem, wechat, wecom)'],
    ['a misspelt option', (c) => (c.apps.reading.clientSecrett = 'x'), 'config apps.reading.clientSecrett: is not an option of dushu'],
    ['an option of another vendor', (c) => (c.apps.reading.scope = 'hotel'), 'config apps.reading.scope: is not an option of dushu'],
    ['a missing required option', (c) => delete c.apps.reading.clientId, 'config apps.reading.clientId: is required for dushu'],
    ['ebaas without baseUrl', (c) => ((c.apps.reading.vendor = 'ebaas'), delete c.apps.reading.baseUrl), 'config apps.reading.baseUrl: is required for ebaas'],
    ['a baseUrl the vendor refuses', (c) => (c.apps.reading.baseUrl = 'ftp://x'), 'config apps.reading: create dushu client: baseUrl must be http(s)'],
    ['an option of the wrong type', (c) => (c.apps.reading.timeoutMs = true), 'config apps.reading.timeoutMs: must be a number'],
    ['a misspelt provider setting', (c) => (c.apps.reading.provider = { leaseMS: 1 }), 'config apps.reading.provider.leaseMS: is not a known field'],
    ['a provider setting core refuses', (c) => (c.apps.reading.provider = { leaseMs: -1 }), 'config apps.reading: createTokenProvider: leaseMs must be a positive number'],
    ['a daily budget that is not a number', (c) => (c.apps.reading.provider = { dailyBudget: 'many' }), 'config apps.reading.provider.dailyBudget: must be a number'],
    ['a quota time zone without a budget', (c) => (c.apps.reading.provider = { quotaTimeZone: '+08:00' }), 'dailyBudget'],
    ['a bad app name', (c) => (c.apps['a b'] = c.apps.reading), 'config apps.a b: an app name is letters'],
    ['an unset environment variable', (c) => (c.apps.reading.clientSecret = '${NOT_SET_ANYWHERE}'), 'config apps.reading.clientSecret: environment variable NOT_SET_ANYWHERE is not set'],
    ['a literal secret in a readable file', (c) => (c.apps.reading.clientSecret = 'literal'), 'config apps.reading.clientSecret: is a secret written in config.yaml, which others can read'],
    ['a secret only partly from the environment', (c) => (c.apps.reading.clientSecret = 'x${DUSHU_SECRET}'), 'config apps.reading.clientSecret: is a secret written in'],
    ['a literal caller key', (c) => (c.callers.billing.key = KEY), 'config callers.billing.key: is a secret written in'],
    ['no callers', (c) => delete c.callers, 'config callers: is required'],
    ['a caller without a key', (c) => delete c.callers.billing.key, 'config callers.billing.key: is required'],
    ['a short caller key', (c) => (c.callers.billing.key = '${SHORT}'), 'config callers.billing.key: must be at least 32 characters'],
    ['two callers with one key', (c) => (c.callers.other = { key: '${BILLING_KEY}', apps: [] }), "config callers.other.key: is the same as another caller's key"],
    ['a caller reading an unknown app', (c) => (c.callers.billing.apps = ['reading', 'nope']), 'config callers.billing.apps[1]: names no app ("nope" is not under apps)'],
    ['caller apps that are not a list', (c) => (c.callers.billing.apps = 'reading'), 'config callers.billing.apps: must be a list of app names'],
    ['an unknown store', (c) => (c.store = { type: 'etcd' }), 'config store.type: must be "memory" or "redis"'],
    ['a redis store without a URL', (c) => (c.store = { type: 'redis' }), 'config store.url: is required for a redis store'],
    ['a redis URL that is not redis', (c) => (c.store = { type: 'redis', url: 'http://x' }), 'config store.url: must start with redis://'],
    ['a literal Redis password', (c) => (c.store = { type: 'redis', url: 'redis://:hunter2@127.0.0.1:6379' }), 'config store.url: is a secret written in'],
    ['an unknown limit', (c) => (c.limits = { bodyLimit: 1 }), 'config limits.bodyLimit: is not a known field'],
    ['a bad log level', (c) => (c.log = { level: 'loud' }), 'config log.level: must be one of'],
  ])('refuses %s', (_name, change, message) => {
    const found = mistake(change, { ...env, SHORT: 'short' });
    expect(found).toContain(message);
    expect(found).not.toContain('dushu-secret-value');
    expect(found).not.toContain(KEY);
  });

  it('takes numbers and URLs from the environment too, and keeps "$${" as a literal "${"', () => {
    const config = good() as any;
    config.listen.port = '${PORT}';
    config.store = { type: 'redis', url: '${REDIS_URL}', keyPrefix: 'app$${x}:' };
    const resolved = validateConfig(config, source, { ...env, PORT: '9000', REDIS_URL: 'redis://:pw@127.0.0.1:6379' });
    expect(resolved.listen.port).toBe(9000);
    expect(resolved.store).toEqual({ type: 'redis', url: 'redis://:pw@127.0.0.1:6379', keyPrefix: 'app${x}:' });
  });
});
