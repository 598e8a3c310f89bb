import diagnostics_channel from 'node:diagnostics_channel';
import { CHANNELS, TokenError, type CacheMessage, type LeaseWaitMessage, type QuotaMessage, type RefreshContext, type StoreMessage, type TokenRequestContext } from '@token-clients/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceMetrics, type ServiceMetrics } from '../src/metrics/service-metrics.js';

// /metrics is built on core's diagnostics channels: these tests publish messages of the contract's shape
// (packages/core/src/diagnostics.ts) on the real channels, as core and the vendor kit do.

const KEY = 'dushu:open.example:app-id';
let metrics: ServiceMetrics | undefined;

afterEach(() => {
  metrics?.close();
  metrics = undefined;
});

function start(): ServiceMetrics {
  metrics = createServiceMetrics((key) => (key.startsWith(KEY) ? 'reading' : undefined));
  return metrics;
}

const text = () => metrics!.registry.metrics();

describe('metrics from the channels', () => {
  it('counts vendor token requests by outcome, with their latency', async () => {
    start();
    const request = diagnostics_channel.tracingChannel<unknown, TokenRequestContext>(CHANNELS.request);
    const context = (): TokenRequestContext => ({ vendor: 'dushu', grant: 'client_credentials', url: 'https://open.example/oauth/token', method: 'POST' });
    await request.tracePromise(async () => ({ status: 200, expiresAt: 1 }), context());
    const failing = context();
    await request
      .tracePromise(async () => {
        throw new TokenError({ code: 'rate_limited', vendor: 'dushu', message: 'slow down' });
      }, failing)
      .catch(() => {});
    const body = await text();
    expect(body).toContain('token_clients_vendor_requests_total{vendor="dushu",grant="client_credentials",outcome="success"} 1');
    expect(body).toContain('token_clients_vendor_requests_total{vendor="dushu",grant="client_credentials",outcome="rate_limited"} 1');
    expect(body).toMatch(/token_clients_vendor_request_duration_seconds_count\{vendor="dushu",grant="client_credentials",outcome="success"\} 1/);
  });

  it('records refresh latency per app, and failures by code', async () => {
    start();
    const refresh = diagnostics_channel.tracingChannel<unknown, RefreshContext>(CHANNELS.refresh);
    await refresh.tracePromise(async () => ({ source: 'vendor', expiresAt: 1 }), { key: KEY, vendor: 'dushu', background: true });
    await refresh
      .tracePromise(async () => {
        throw new TokenError({ code: 'invalid_client', vendor: 'dushu', message: 'bad credentials' });
      }, { key: KEY, vendor: 'dushu', background: false })
      .catch(() => {});
    const body = await text();
    expect(body).toContain('token_clients_refresh_duration_seconds_count{app="reading",vendor="dushu",background="true",outcome="success"} 1');
    expect(body).toContain('token_clients_refresh_duration_seconds_count{app="reading",vendor="dushu",background="false",outcome="invalid_client"} 1');
    expect(body).toContain('token_clients_refresh_failures_total{app="reading",vendor="dushu",code="invalid_client"} 1');
  });

  it('counts cache hits and misses, lease waits, store outages and quota', async () => {
    start();
    const publish = <T>(name: string, message: T) => diagnostics_channel.channel(name).publish(message);
    publish<CacheMessage>(CHANNELS.cache, { key: KEY, vendor: 'dushu', hit: true });
    publish<CacheMessage>(CHANNELS.cache, { key: KEY, vendor: 'dushu', hit: true });
    publish<CacheMessage>(CHANNELS.cache, { key: `${KEY}:user:alice`, vendor: 'dushu', hit: false });
    publish<LeaseWaitMessage>(CHANNELS.leaseWait, { key: KEY, vendor: 'dushu', waitedMs: 120, outcome: 'updated' });
    publish<StoreMessage>(CHANNELS.store, { key: KEY, vendor: 'dushu', state: 'unavailable', error: new Error('ECONNREFUSED') });
    publish<QuotaMessage>(CHANNELS.quota, { key: KEY, vendor: 'dushu', state: 'warning', used: 80, budget: 100, resetsAt: 0 });
    publish<QuotaMessage>(CHANNELS.quota, { key: KEY, vendor: 'dushu', state: 'exhausted', used: 100, budget: 100, resetsAt: 0 });
    publish<CacheMessage>(CHANNELS.cache, { key: 'someone-else', vendor: 'ebaas', hit: true });
    const body = await text();
    expect(body).toContain('token_clients_cache_lookups_total{app="reading",vendor="dushu",result="hit"} 2');
    expect(body).toContain('token_clients_cache_lookups_total{app="reading",vendor="dushu",result="miss"} 1');
    expect(body).toContain('token_clients_cache_lookups_total{app="unknown",vendor="ebaas",result="hit"} 1');
    expect(body).toContain('token_clients_lease_wait_duration_seconds_sum{app="reading",vendor="dushu",outcome="updated"} 0.12');
    expect(body).toContain('token_clients_store_events_total{app="reading",vendor="dushu",state="unavailable"} 1');
    expect(body).toContain('token_clients_quota_used{app="reading",vendor="dushu"} 100');
    expect(body).toContain('token_clients_quota_budget{app="reading",vendor="dushu"} 100');
    expect(body).toContain('token_clients_quota_exhausted_total{app="reading",vendor="dushu"} 1');
  });

  it('stops listening when closed', async () => {
    const closed = start();
    closed.close();
    diagnostics_channel.channel(CHANNELS.cache).publish({ key: KEY, vendor: 'dushu', hit: true } satisfies CacheMessage);
    expect(await closed.registry.metrics()).not.toContain('token_clients_cache_lookups_total{');
    expect(diagnostics_channel.hasSubscribers(CHANNELS.cache)).toBe(false);
  });
});
