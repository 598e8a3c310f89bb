import { describe, expect, it } from 'vitest';
import { quotaCalendar } from '../src/refresh-policy.js';
import { createTokenProvider, MemoryStore, type TokenProviderEvent, type TokenStore } from '../src/index.js';
import { countingSource, manualClock, rejection, serverError, settle } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the quota day', () => {
  it('ends at midnight in UTC+08:00 by default, whatever the machine’s zone', () => {
    const day = quotaCalendar('+08:00')!;
    expect(day(Date.parse('2026-11-22T15:59:59.999Z'))).toEqual({ date: '2026-11-22', resetsAt: Date.parse('2026-11-22T16:00:00Z') });
    expect(day(Date.parse('2026-11-22T16:00:00Z'))).toEqual({ date: '2026-11-23', resetsAt: Date.parse('2026-11-23T16:00:00Z') });
    expect(quotaCalendar('Asia/Shanghai')!(Date.parse('2026-11-22T15:59:59Z'))).toEqual(day(Date.parse('2026-11-22T15:59:59Z')));
    expect(quotaCalendar('Z')!(Date.parse('2026-11-22T23:00:00Z')).resetsAt).toBe(Date.parse('2026-11-23T00:00:00Z'));
    expect(quotaCalendar('-05:30')!(Date.parse('2026-11-22T03:00:00Z'))).toEqual({ date: '2026-11-21', resetsAt: Date.parse('2026-11-22T05:30:00Z') });
  });

  it('follows daylight saving in an IANA zone: the day it starts is 23 hours long', () => {
    const day = quotaCalendar('America/New_York')!;
    expect(day(Date.parse('2026-03-08T12:00:00Z'))).toEqual({ date: '2026-03-08', resetsAt: Date.parse('2026-03-09T04:00:00Z') });
  });

  it('refuses a zone it does not know, when the provider is made', () => {
    expect(quotaCalendar('Mars/Olympus')).toBeUndefined();
    expect(quotaCalendar('+25:00')).toBeUndefined();
    const make = () => createTokenProvider({ key: 'k', dailyBudget: 10, quotaTimeZone: 'Mars/Olympus', requestToken: countingSource(manualClock()).requestToken });
    expect(make).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
    expect(() => createTokenProvider({ key: 'k', quotaTimeZone: '+08:00', requestToken: countingSource(manualClock()).requestToken })).toThrow(
      expect.objectContaining({ code: 'invalid_configuration', message: expect.stringContaining('need dailyBudget') }),
    );
    expect(() => createTokenProvider({ key: 'k', dailyBudget: 0, requestToken: countingSource(manualClock()).requestToken })).toThrow(
      expect.objectContaining({ code: 'invalid_configuration' }),
    );
  });
});

describe('dailyBudget', () => {
  it('warns at 80 %, sends nothing past the budget, serves the valid token, then fails with quota_exhausted until the reset', async () => {
    // 08:00 in UTC+08:00: the day ends in 16 hours.
    const clock = manualClock(Date.parse('2026-11-22T00:00:00Z'));
    const source = countingSource(clock, HOUR);
    const events: TokenProviderEvent[] = [];
    const provider = createTokenProvider({
      key: 'k',
      clock,
      dailyBudget: 5,
      requestToken: source.requestToken,
      onEvent: (e) => e.type.startsWith('quota') && events.push(e),
    });
    for (let i = 0; i < 5; i++) {
      await provider.getToken();
      clock.advance(HOUR);
    }
    expect(source.calls).toBe(5);
    expect(events.map((e) => e.type)).toEqual(['quota_warning', 'quota_exhausted']);
    expect(events[0]).toMatchObject({ used: 4, budget: 5, resetsAt: Date.parse('2026-11-22T16:00:00Z') });

    // Refresh ahead of expiry is refused, but the valid token is still served.
    clock.advance(-HOUR + 58 * 60_000);
    expect(await provider.getAccessToken()).toBe('access-5');
    await settle();
    expect(source.calls).toBe(5);
    clock.advance(2 * 60_000);
    const error = await rejection(provider.getToken());
    expect(error.code).toBe('quota_exhausted');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(Date.parse('2026-11-22T16:00:00Z') - clock.now());
    expect(source.calls).toBe(5);

    clock.advance(error.retryAfterMs!);
    expect(await provider.getAccessToken()).toBe('access-6');
    expect(source.calls).toBe(6);
  });

  it('is counted fleet-wide through the store: providers with one quotaKey share one budget', async () => {
    const clock = manualClock();
    const store = new MemoryStore({ clock });
    const source = countingSource(clock);
    const make = (key: string) => createTokenProvider({ key, clock, store, dailyBudget: 3, quotaKey: 'app', requestToken: source.requestToken });
    const [a, b, c, d] = ['u1', 'u2', 'u3', 'u4'].map(make);
    await Promise.all([a!.getToken(), b!.getToken(), c!.getToken()]);
    expect((await rejection(d!.getToken())).code).toBe('quota_exhausted');
    expect(source.calls).toBe(3);
  });

  it('counts in the provider alone with a store that has no increment', async () => {
    const clock = manualClock();
    const inner = new MemoryStore();
    const store: TokenStore = {
      shared: false,
      get: (key) => inner.get(key),
      compareAndSet: (...args) => inner.compareAndSet(...args),
      acquireLease: (...args) => inner.acquireLease(...args),
      waitForUpdate: (...args) => inner.waitForUpdate(...args),
    };
    const source = countingSource(clock);
    const provider = createTokenProvider({ key: 'k', clock, store, dailyBudget: 1, requestToken: source.requestToken });
    await provider.getToken();
    await provider.invalidate();
    expect((await rejection(provider.getToken())).code).toBe('quota_exhausted');
    expect(source.calls).toBe(1);
  });

  it('the memory store’s counters expire after their ttl', async () => {
    const clock = manualClock();
    const store = new MemoryStore({ clock });
    expect(await store.increment('c', 1_000)).toBe(1);
    expect(await store.increment('c', 1_000)).toBe(2);
    clock.advance(1_000);
    expect(await store.increment('c', 1_000)).toBe(1);
  });
});

describe('a provider whose every refresh fails', () => {
  // With the default policy and the worst jitter (random() = 0) the delays are 0.5, 1, 2, 4, 8, 16 s, then 30 s
  // for ever: attempts at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, then every 30 s — 1 + 6 + 2878 = 2,885 in a day,
  // however many callers ask. The README states this number.
  const BOUND = 2_885;

  it(`sends at most ${BOUND} requests a day, however often it is asked`, async () => {
    const clock = manualClock();
    const source = countingSource(clock);
    source.failWith = serverError();
    const provider = createTokenProvider({ key: 'k', clock, random: () => 0, requestToken: source.requestToken });
    for (let elapsed = 0; elapsed < DAY; elapsed += 1_000) {
      await provider.getToken().catch(() => {});
      clock.advance(1_000);
    }
    expect(source.calls).toBeLessThanOrEqual(BOUND);
    // Asked once a second, the provider is within a few requests of the bound: backoff, not luck, limits it.
    expect(source.calls).toBeGreaterThan(BOUND - 10);
  });

  it('sends exactly dailyBudget requests a day with a budget, and none after it', async () => {
    const clock = manualClock(Date.parse('2026-11-21T16:00:00Z')); // midnight in UTC+08:00
    const source = countingSource(clock);
    source.failWith = serverError();
    const provider = createTokenProvider({ key: 'k', clock, random: () => 0, dailyBudget: 100, requestToken: source.requestToken });
    for (let elapsed = 0; elapsed < DAY; elapsed += 1_000) {
      await provider.getToken().catch(() => {});
      clock.advance(1_000);
    }
    expect(source.calls).toBe(100);
  });
});
