import { describe, expect, it } from 'vitest';
import { MemoryStore, TokenError, type TokenSet } from '../src/index.js';
import { createClientTokenProvider, createUserTokenProvider, formUrlEncoded, type ProviderClient } from '../src/vendor-kit.js';
import { manualClock } from './helpers.js';

describe('formUrlEncoded', () => {
  it('encodes every field as a string and leaves undefined ones out', () => {
    expect(formUrlEncoded({ grant_type: 'client_credentials', scope: 'hotel manager', expires_in: 3600, refresh_token: undefined })).toBe(
      'grant_type=client_credentials&scope=hotel+manager&expires_in=3600',
    );
  });

  it('escapes what a form must escape', () => {
    expect(new URLSearchParams(formUrlEncoded({ redirect_uri: 'https://app.example/cb?x=1&y=2', code: 'a+b/c=' })).get('redirect_uri')).toBe(
      'https://app.example/cb?x=1&y=2',
    );
    expect(new URLSearchParams(formUrlEncoded({ code: 'a+b/c=' })).get('code')).toBe('a+b/c=');
  });

  it('encodes nothing as an empty body', () => {
    expect(formUrlEncoded(undefined)).toBe('');
    expect(formUrlEncoded({})).toBe('');
  });
});

describe('vendor providers', () => {
  const clock = manualClock();
  const client: ProviderClient = { vendor: 'acme', options: { baseUrl: 'https://api.acme.example', clientId: 'app-1', clock, timeoutMs: 10_000 } };
  const token = (accessToken: string, refreshToken?: string): TokenSet => ({
    accessToken,
    tokenType: 'bearer',
    expiresAt: clock.now() + 3_600_000,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    raw: {},
  });

  it('holds the refresh lease longer than the client may spend on a refresh and its fallback', async () => {
    const leases: number[] = [];
    const store = new MemoryStore();
    const spy = Object.assign(Object.create(null), {
      shared: true,
      get: (key: string) => store.get(key),
      compareAndSet: (...args: Parameters<MemoryStore['compareAndSet']>) => store.compareAndSet(...args),
      waitForUpdate: (...args: Parameters<MemoryStore['waitForUpdate']>) => store.waitForUpdate(...args),
      acquireLease: (key: string, ttlMs: number) => {
        leases.push(ttlMs);
        return store.acquireLease(key, ttlMs);
      },
    });
    const slow: ProviderClient = { ...client, options: { ...client.options, timeoutMs: 40_000 } };
    await createClientTokenProvider(slow, { requestToken: async () => token('a') }, { store: spy }).getToken();
    const usual: ProviderClient = { ...client, options: { ...client.options, clientId: 'app-2' } };
    await createClientTokenProvider(usual, { requestToken: async () => token('b') }, { store: spy }).getToken();
    expect(leases[0]).toBeGreaterThan(2 * 40_000);
    expect(leases[1]).toBe(30_000);
  });

  it('keys a client token by vendor, host and client id, and sends it to the client’s server', async () => {
    const provider = createClientTokenProvider(client, { requestToken: async () => token('app-token') });
    expect(provider.key).toBe('acme:api.acme.example:app-1');
    expect(provider.baseUrl).toBe('https://api.acme.example');
    expect(await provider.getAccessToken()).toBe('app-token');
  });

  it('takes a vendor’s own key and refresh, and the caller’s store, but never the caller’s key', async () => {
    const store = new MemoryStore();
    const provider = createClientTokenProvider(
      client,
      { key: 'acme:api.acme.example:app-1:scope:hotel', requestToken: async () => token('first', 'rt-1'), refresh: async () => token('refreshed') },
      { store, key: 'caller-key' } as never,
    );
    expect(provider.key).toBe('acme:api.acme.example:app-1:scope:hotel');
    await provider.getToken();
    expect((await store.get('acme:api.acme.example:app-1:scope:hotel'))?.token.accessToken).toBe('first');
  });

  it('keys a user’s token by subject and starts from the initial token set', async () => {
    let refreshed = 0;
    const provider = createUserTokenProvider(client, async () => token(`refreshed-${++refreshed}`, 'rt-2'), {
      subject: 'user-42',
      initial: token('from-exchange', 'rt-1'),
    });
    expect(provider.key).toBe('acme:api.acme.example:app-1:user:user-42');
    expect(await provider.getAccessToken()).toBe('from-exchange');
    expect(refreshed).toBe(0);
  });

  it.each([
    ['no settings', undefined, 'userTokenProvider subject is required'],
    ['an empty subject', { subject: '' }, 'userTokenProvider subject must not be empty'],
    ['a padded subject', { subject: 'user-42 ' }, 'userTokenProvider subject has leading or trailing whitespace'],
  ])('rejects %s with invalid_configuration', (_name, settings, said) => {
    let error: unknown;
    try {
      createUserTokenProvider(client, async () => token('x'), settings as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).code).toBe('invalid_configuration');
    expect((error as TokenError).message).toContain(said);
  });
});
