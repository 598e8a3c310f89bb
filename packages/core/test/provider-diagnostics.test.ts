import { channel, tracingChannel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS, createTokenProvider, MemoryStore, TokenError, type TokenLogger, type TokenProviderEvent, type TokenSet, type TokenStore } from '../src/index.js';
import { countingSource, manualClock, serverError, settle } from './helpers.js';

const HOUR = 3_600_000;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.restoreAllMocks();
});

/** Collects what one channel publishes, until the test ends. */
function listen(name: string): unknown[] {
  const seen: unknown[] = [];
  const onMessage = (message: unknown) => seen.push(structuredClone(message));
  channel(name).subscribe(onMessage);
  cleanups.push(() => channel(name).unsubscribe(onMessage));
  return seen;
}

/** A source whose tokens, and refresh tokens, are recognisable secrets. */
function secretSource(clock: { now(): number }) {
  let issued = 0;
  return {
    calls: 0,
    failWith: undefined as TokenError | undefined,
    async requestToken(_signal?: AbortSignal): Promise<TokenSet> {
      issued += 1;
      return { accessToken: `SECRET-access-${issued}`, refreshToken: `SECRET-refresh-${issued}`, tokenType: 'bearer', expiresAt: clock.now() + 2 * HOUR, raw: { echoed: 'SECRET' } };
    },
  };
}

describe('diagnostics channels', () => {
  it('cache: one message per answered call, hit or not, with key and vendor only', async () => {
    const clock = manualClock();
    const cache = listen(CHANNELS.cache);
    const provider = createTokenProvider({ key: 'k', vendor: 'acme', clock, requestToken: secretSource(clock).requestToken });
    await Promise.all([provider.getAccessToken(), provider.getToken()]);
    await provider.getToken();
    await provider.getAccessToken();
    expect(cache).toEqual([
      { key: 'k', vendor: 'acme', hit: false },
      { key: 'k', vendor: 'acme', hit: false },
      { key: 'k', vendor: 'acme', hit: true },
      { key: 'k', vendor: 'acme', hit: true },
    ]);
  });

  it('refresh: a trace around each refresh, with its source and expiry, or its TokenError — never a token', async () => {
    const clock = manualClock();
    const source = secretSource(clock);
    const seen: [string, unknown][] = [];
    const handlers = Object.fromEntries(
      (['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const).map((phase) => [phase, (m: unknown) => seen.push([phase, { ...(m as object) }])]),
    );
    const trace = tracingChannel(CHANNELS.refresh);
    trace.subscribe(handlers as never);
    cleanups.push(() => trace.unsubscribe(handlers as never));
    let fail = false;
    const provider = createTokenProvider({
      key: 'k',
      vendor: 'acme',
      clock,
      requestToken: async (signal) => {
        if (fail) throw serverError();
        return source.requestToken(signal);
      },
    });
    await provider.getToken();
    const ends = seen.filter(([phase]) => phase === 'asyncEnd').map(([, m]) => m);
    expect(ends).toEqual([{ key: 'k', vendor: 'acme', background: false, result: { source: 'vendor', expiresAt: clock.now() + 2 * HOUR } }]);
    fail = true;
    clock.advance(2 * HOUR);
    await provider.getToken().catch(() => {});
    const error = seen.find(([phase]) => phase === 'error')?.[1] as { error: unknown };
    expect(error.error).toBeInstanceOf(TokenError);
    expect(JSON.stringify(seen)).not.toContain('SECRET');
  });

  it('store, lease-wait and quota: documented fields, no secret', async () => {
    const clock = manualClock();
    const store = listen(CHANNELS.store);
    const quota = listen(CHANNELS.quota);
    const leaseWait = listen(CHANNELS.leaseWait);
    const inner = new MemoryStore({ clock });
    let up = true;
    const guard = <T>(run: () => Promise<T>) => (up ? run() : Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })));
    const flaky: TokenStore = {
      shared: true,
      get: (key) => guard(() => inner.get(key)),
      compareAndSet: (...args) => guard(() => inner.compareAndSet(...args)),
      acquireLease: (...args) => guard(() => inner.acquireLease(...args)),
      waitForUpdate: (...args) => guard(() => inner.waitForUpdate(...args)),
      increment: (...args) => guard(() => inner.increment(...args)),
    };
    const source = secretSource(clock);
    const a = createTokenProvider({ key: 'k', vendor: 'acme', clock, store: flaky, dailyBudget: 2, requestToken: source.requestToken });
    const b = createTokenProvider({ key: 'k', vendor: 'acme', clock, store: flaky, dailyBudget: 2, requestToken: source.requestToken });
    await Promise.all([a.getToken(), b.getToken()]);
    expect(leaseWait).toEqual([{ key: 'k', vendor: 'acme', waitedMs: 0, outcome: 'updated' }]);
    await a.invalidate();
    expect(quota).toEqual([{ key: 'k', vendor: 'acme', state: 'exhausted', used: 2, budget: 2, resetsAt: expect.any(Number) }]);
    up = false;
    clock.advance(61_000);
    await a.getToken();
    await settle();
    up = true;
    clock.advance(5_000);
    await a.getToken();
    await settle();
    expect(store.map((m) => (m as { state: string }).state)).toEqual(['unavailable', 'recovered']);
    expect(store[0]).toMatchObject({ key: 'k', vendor: 'acme' });
    expect(JSON.stringify([store, quota, leaseWait])).not.toContain('SECRET');
  });
});

describe('token_served', () => {
  it('tells the caller whether each answer came from the cache or waited for the network', async () => {
    const clock = manualClock();
    const served: TokenProviderEvent[] = [];
    const provider = createTokenProvider({ key: 'k', clock, requestToken: countingSource(clock).requestToken, onEvent: (e) => e.type === 'token_served' && served.push(e) });
    await provider.getToken();
    await provider.getAccessToken();
    expect(served).toEqual([
      { type: 'token_served', key: 'k', hit: false },
      { type: 'token_served', key: 'k', hit: true },
    ]);
  });
});

describe('logger', () => {
  function recordingLogger() {
    const lines: { level: string; args: unknown[] }[] = [];
    const logger = Object.fromEntries(
      (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (...args: unknown[]) => lines.push({ level, args })]),
    ) as unknown as TokenLogger;
    return { logger, lines };
  }

  it('logs refreshes, failures and store changes with keys, codes and times — never a token', async () => {
    const clock = manualClock();
    const { logger, lines } = recordingLogger();
    let fail = false;
    const source = secretSource(clock);
    const provider = createTokenProvider({
      key: 'k',
      vendor: 'acme',
      clock,
      logger,
      requestToken: async (signal) => {
        if (fail) throw new TokenError({ code: 'invalid_client', vendor: 'acme', message: 'bad client SECRET-in-message?' });
        return source.requestToken(signal);
      },
    });
    await provider.getToken();
    fail = true;
    clock.advance(2 * HOUR);
    await provider.getToken().catch(() => {});
    expect(lines.map((line) => line.level)).toEqual(['info', 'warn']);
    expect(lines[0]!.args).toEqual([{ key: 'k', vendor: 'acme', expiresAt: expect.any(Number), background: false, source: 'vendor' }, 'token-clients: token refreshed']);
    expect(lines[1]!.args[0]).toMatchObject({ key: 'k', code: 'invalid_client', retryable: false });
    expect(JSON.stringify(lines)).not.toContain('SECRET');
  });

  it('is silent by default, and a logger that throws breaks nothing', async () => {
    const clock = manualClock();
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation(() => {}));
    const quiet = createTokenProvider({ key: 'k', clock, requestToken: countingSource(clock).requestToken });
    await quiet.getToken();
    expect(spies.every((spy) => spy.mock.calls.length === 0)).toBe(true);
    const throwing = { debug() {}, info() { throw new Error('logger down'); }, warn() {}, error() {} };
    const loud = createTokenProvider({ key: 'k', clock, logger: throwing, requestToken: countingSource(clock).requestToken });
    expect(await loud.getAccessToken()).toBe('access-1');
  });

  it('refuses a logger without the four levels', () => {
    expect(() => createTokenProvider({ key: 'k', logger: { info() {} } as never, requestToken: countingSource(manualClock()).requestToken })).toThrow(
      expect.objectContaining({ code: 'invalid_configuration' }),
    );
  });
});
