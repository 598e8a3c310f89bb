/**
 * subscribeChannel and subscribeTrace: typed listening on core's channels. What matters to the metrics and spans
 * built on them is that `settled` comes exactly once per trace however it ends, and that an unsubscribe stops it.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS, createTokenProvider, subscribeChannel, subscribeMeasurements, subscribeTrace, type CacheMessage, type RefreshContext } from '../src/index.js';
import { countingSource, manualClock, serverError } from './helpers.js';

const HOUR = 3_600_000;
const unsubscribers: (() => void)[] = [];
afterEach(() => {
  for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
});

/** A provider whose first refresh succeeds and whose second, two hours later, fails with a server error. */
async function refreshThenFail() {
  const clock = manualClock();
  const source = countingSource(clock);
  const provider = createTokenProvider({ key: 'k', vendor: 'acme', clock, requestToken: source.requestToken });
  await provider.getToken();
  source.failWith = serverError();
  clock.advance(2 * HOUR);
  await provider.getToken().catch(() => {});
  return provider;
}

describe('subscribeChannel', () => {
  it("delivers each message of a provider's channel until unsubscribed", async () => {
    const clock = manualClock();
    const seen: CacheMessage[] = [];
    const unsubscribe = subscribeChannel('cache', (message) => seen.push({ ...message }));
    unsubscribers.push(unsubscribe);
    const provider = createTokenProvider({ key: 'k', vendor: 'acme', clock, requestToken: countingSource(clock).requestToken });
    await provider.getToken();
    await provider.getToken();
    unsubscribe();
    await provider.getToken();
    expect(seen).toEqual([
      { key: 'k', vendor: 'acme', hit: false },
      { key: 'k', vendor: 'acme', hit: true },
    ]);
  });
});

describe('subscribeTrace', () => {
  function recordRefreshes() {
    const events: string[] = [];
    const unsubscribe = subscribeTrace('refresh', {
      start: () => events.push('start'),
      settled: (context) => events.push(context.error ? `settled:${context.error.code}` : `settled:${context.result?.source}`),
    });
    unsubscribers.push(unsubscribe);
    return { events, unsubscribe };
  }

  it('settles once for a refresh that succeeds and once for one that fails (error, then asyncEnd)', async () => {
    const { events } = recordRefreshes();
    await refreshThenFail();
    expect(events).toEqual(['start', 'settled:vendor', 'start', 'settled:server_error']);
  });

  it('settles once for a synchronous throw (error, then end, and no asyncEnd)', () => {
    const { events } = recordRefreshes();
    const context = { key: 'k', vendor: 'acme', background: false } as RefreshContext;
    expect(() =>
      tracingChannel<unknown, RefreshContext>(CHANNELS.refresh).tracePromise(() => {
        throw Object.assign(new Error('thrown before any promise'), { code: 'internal' });
      }, context),
    ).toThrow('thrown before any promise');
    expect(events).toEqual(['start', 'settled:internal']);
  });

  it('does not report a trace that was already running when it subscribed, nor one after the unsubscribe', async () => {
    const trace = tracingChannel<string, RefreshContext>(CHANNELS.refresh);
    // A listener of its own, so that the channel traces before subscribeTrace listens.
    const own = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
    trace.subscribe(own as never);
    unsubscribers.push(() => trace.unsubscribe(own as never));
    let finish: (value: string) => void = () => {};
    const running = trace.tracePromise(() => new Promise<string>((resolve) => (finish = resolve)), { key: 'k', vendor: 'acme', background: true });
    const { events, unsubscribe } = recordRefreshes();
    finish('done');
    await running;
    unsubscribe();
    await trace.tracePromise(async () => 'after', { key: 'k', vendor: 'acme', background: true });
    expect(events).toEqual([]);
  });
});

describe('subscribeMeasurements', () => {
  it('turns a refresh into one measurement with its outcome, and stops after the unsubscribe', async () => {
    const refreshes: { outcome: string; source?: string; background: boolean; seconds: number }[] = [];
    const served: boolean[] = [];
    const unsubscribe = subscribeMeasurements({
      refresh: ({ outcome, source, background, seconds }) => refreshes.push({ outcome, ...(source ? { source } : {}), background, seconds }),
      cache: ({ hit }) => served.push(hit),
    });
    unsubscribers.push(unsubscribe);
    const provider = await refreshThenFail();
    unsubscribe();
    await provider.getToken().catch(() => {});
    expect(refreshes).toEqual([
      { outcome: 'success', source: 'vendor', background: false, seconds: expect.any(Number) },
      { outcome: 'server_error', background: false, seconds: expect.any(Number) },
    ]);
    expect(refreshes.every((m) => m.seconds >= 0)).toBe(true);
    // The failed call answered nothing: only the first call was served (after waiting for the refresh).
    expect(served).toEqual([false]);
  });
});
