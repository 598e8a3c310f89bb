import { describe, expect, it } from 'vitest';
import { MemoryStore, TokenError, type TokenSet } from '../src/index.js';
import { defineVendor } from '../src/vendor-kit.js';
import { formUrlEncoded } from '../src/transport.js';
import { manualClock } from './helpers.js';

interface paths {
  '/token': { get?: never; post: { parameters: {}; responses: {} } };
}

/**
 * A vendor whose token calls are stubbed: `next` is what its reader returns, so the providers that core builds
 * from the definition can be checked without a server.
 */
function acme(options: { clientId?: string; timeoutMs?: number; scope?: string } = {}, answers: { requestToken?: () => TokenSet; refresh?: () => TokenSet } = {}) {
  const create = defineVendor<paths>()({
    name: 'acme',
    baseUrl: { default: 'https://api.acme.example' },
    options: { scope: { type: 'string', doc: 'A scope.' } },
    grants: {
      client_credentials: { method: 'post', path: '/token', send: 'form', secret: [], fields: () => ({ grant_type: 'client_credentials' }), read: () => answers.requestToken!() },
      authorization_code: { method: 'post', path: '/token', send: 'form', secret: [], fields: () => ({}), read: () => answers.requestToken!() },
      refresh_token: { method: 'post', path: '/token', send: 'form', secret: [], fields: () => ({}), read: () => answers.refresh!() },
    },
    refreshesAppToken: true,
    storeKey: (key, o) => (o.scope === undefined ? key : `${key}:scope:${o.scope}`),
  });
  return create({ clientId: 'app-1', clock, fetch: async () => new Response('{}'), ...options });
}
const clock = manualClock();

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

describe('the providers defineVendor builds', () => {
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
    await acme({ timeoutMs: 40_000 }, { requestToken: () => token('a') }).tokenProvider({ store: spy }).getToken();
    await acme({ clientId: 'app-2' }, { requestToken: () => token('b') }).tokenProvider({ store: spy }).getToken();
    expect(leases[0]).toBeGreaterThan(2 * 40_000);
    expect(leases[1]).toBe(30_000);
  });

  it('keys a client token by vendor, host and client id, and sends it to the client’s server', async () => {
    const provider = acme({}, { requestToken: () => token('app-token') }).tokenProvider();
    expect(provider.key).toBe('acme:api.acme.example:app-1');
    expect(provider.baseUrl).toBe('https://api.acme.example');
    expect(await provider.getAccessToken()).toBe('app-token');
  });

  it('takes a vendor’s own key and refresh, and the caller’s store, but never the caller’s key', async () => {
    const store = new MemoryStore();
    const provider = acme({ scope: 'hotel' }, { requestToken: () => token('first', 'rt-1'), refresh: () => token('refreshed') }).tokenProvider({
      store,
      key: 'caller-key',
    } as never);
    expect(provider.key).toBe('acme:api.acme.example:app-1:scope:hotel');
    await provider.getToken();
    expect((await store.get('acme:api.acme.example:app-1:scope:hotel'))?.token.accessToken).toBe('first');
  });

  it('keys a user’s token by subject and starts from the initial token set', async () => {
    let refreshed = 0;
    const provider = acme({}, { refresh: () => token(`refreshed-${++refreshed}`, 'rt-2') }).userTokenProvider({
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
      acme({}, { refresh: () => token('x') }).userTokenProvider(settings as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).code).toBe('invalid_configuration');
    expect((error as TokenError).message).toContain(said);
  });
});
