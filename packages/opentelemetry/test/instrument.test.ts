import diagnostics_channel from 'node:diagnostics_channel';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  CHANNELS,
  TokenError,
  type CacheMessage,
  type LeaseWaitMessage,
  type QuotaMessage,
  type RefreshContext,
  type StoreMessage,
  type TokenRequestContext,
} from '@token-clients/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instrumentTokenClients, type Instrumentation } from '../src/index.js';

// The OpenTelemetry SDK's in-memory exporters, not mocks. Messages of the contract's shape
// (packages/core/src/diagnostics.ts) are published on the real channels, as core and the vendor kit do.

const SECRET = 'client-secret-that-must-never-be-exported';
let spans: InMemorySpanExporter;
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let instrumentation: Instrumentation;

beforeEach(() => {
  spans = new InMemorySpanExporter();
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  instrumentation = instrumentTokenClients({
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    meterProvider: new MeterProvider({ readers: [reader] }),
  });
});

afterEach(async () => {
  instrumentation.disable();
  await reader.shutdown();
});

async function collected(): Promise<MetricData[]> {
  await reader.forceFlush();
  return metricExporter.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
}

/** The latest collection of metric `name` (cumulative, so the last export has every point). */
const metric = async (name: string) => (await collected()).filter((data) => data.descriptor.name === name).at(-1);

const request = diagnostics_channel.tracingChannel<unknown, TokenRequestContext>(CHANNELS.request);
const refresh = diagnostics_channel.tracingChannel<unknown, RefreshContext>(CHANNELS.refresh);
const requestContext = (): TokenRequestContext => ({ vendor: 'wps', grant: 'refresh_token', url: 'https://openapi.wps.cn/oauth2/token', method: 'POST' });

describe('token request spans', () => {
  it('are CLIENT spans named by the method, with the HTTP semantic conventions', async () => {
    // A tracing channel puts what the traced promise resolved with on the context as `result`.
    await request.tracePromise(async () => ({ status: 200, requestId: 'req-42', expiresAt: 1 }), requestContext());
    const [span] = spans.getFinishedSpans();
    expect(span).toBeDefined();
    expect(span!.name).toBe('POST');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': 'https://openapi.wps.cn/oauth2/token',
      'server.address': 'openapi.wps.cn',
      'server.port': 443,
      'http.response.status_code': 200,
      'token_clients.vendor': 'wps',
      'token_clients.grant': 'refresh_token',
      'token_clients.request_id': 'req-42',
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('record a failure as error.type = the TokenError code, with an ERROR status', async () => {
    await request
      .tracePromise(async () => {
        throw new TokenError({ code: 'invalid_client', vendor: 'wps', message: 'wps answered 401: check clientId and clientSecret.', status: 401, requestId: 'req-7' });
      }, requestContext())
      .catch(() => {});
    const [span] = spans.getFinishedSpans();
    expect(span!.attributes).toMatchObject({ 'error.type': 'invalid_client', 'http.response.status_code': 401, 'token_clients.request_id': 'req-7', 'token_clients.error.retryable': false });
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'wps answered 401: check clientId and clientSecret.' });
  });

  it('feed http.client.request.duration, with error.type on failures', async () => {
    await request.tracePromise(async () => ({ status: 200, expiresAt: 1 }), requestContext());
    await request
      .tracePromise(async () => {
        throw new TokenError({ code: 'timeout', vendor: 'wps', message: 'no answer within 10000 ms' });
      }, requestContext())
      .catch(() => {});
    const duration = await metric('http.client.request.duration');
    expect(duration?.descriptor.unit).toBe('s');
    const points = duration!.dataPoints.map((point) => point.attributes);
    expect(points).toContainEqual({ 'http.request.method': 'POST', 'server.address': 'openapi.wps.cn', 'server.port': 443, 'token_clients.vendor': 'wps', 'http.response.status_code': 200 });
    expect(points).toContainEqual({ 'http.request.method': 'POST', 'server.address': 'openapi.wps.cn', 'server.port': 443, 'token_clients.vendor': 'wps', 'error.type': 'timeout' });
  });
});

describe('refresh spans', () => {
  it('are INTERNAL "token refresh" spans saying whether they ran ahead and where the token came from', async () => {
    const context: RefreshContext = { key: 'dushu:open.example:app', vendor: 'dushu', background: true };
    await refresh.tracePromise(async () => ({ source: 'store' as const, expiresAt: 1 }), context);
    const [span] = spans.getFinishedSpans();
    expect(span!.name).toBe('token refresh');
    expect(span!.kind).toBe(SpanKind.INTERNAL);
    expect(span!.attributes).toEqual({ 'token_clients.vendor': 'dushu', 'token_clients.refresh.background': true, 'token_clients.refresh.source': 'store' });
    const duration = await metric('token_clients.refresh.duration');
    expect(duration!.dataPoints[0]!.attributes).toEqual({ 'token_clients.vendor': 'dushu', 'token_clients.refresh.background': true, 'token_clients.refresh.source': 'store' });
  });

  it('are the parents of the token requests made for them, however many awaits lie between', async () => {
    const refreshed = refresh.tracePromise(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await request.tracePromise(async () => ({ status: 200, expiresAt: 1 }), requestContext());
      return { source: 'vendor', expiresAt: 1 };
    }, { key: 'k', vendor: 'wps', background: true });
    // A request outside any refresh (an uncached requestToken()) keeps its own parent: none here.
    await request.tracePromise(async () => ({ status: 200, expiresAt: 1 }), { ...requestContext(), grant: 'client_credentials' });
    await refreshed;
    const finished = spans.getFinishedSpans();
    const refreshSpan = finished.find((span) => span.name === 'token refresh')!;
    const byGrant = (grant: string) => finished.find((span) => span.name === 'POST' && span.attributes['token_clients.grant'] === grant);
    const [inside, outside] = [byGrant('refresh_token'), byGrant('client_credentials')];
    expect(inside!.parentSpanContext?.spanId).toBe(refreshSpan.spanContext().spanId);
    expect(inside!.spanContext().traceId).toBe(refreshSpan.spanContext().traceId);
    expect(outside!.parentSpanContext).toBeUndefined();
    expect(outside!.spanContext().traceId).not.toBe(refreshSpan.spanContext().traceId);
  });

  it('end once when the traced function throws synchronously', () => {
    expect(() =>
      refresh.traceSync(() => {
        throw new TokenError({ code: 'closed', vendor: 'core', message: 'token provider closed' });
      }, { key: 'k', vendor: 'core', background: false }),
    ).toThrow();
    expect(spans.getFinishedSpans().map((span) => span.attributes['error.type'])).toEqual(['closed']);
  });
});

describe('metrics from the other channels', () => {
  it('count cache lookups, lease waits, store events and quota', async () => {
    const publish = <T>(name: string, message: T) => diagnostics_channel.channel(name).publish(message);
    publish<CacheMessage>(CHANNELS.cache, { key: 'k', vendor: 'dushu', hit: true });
    publish<CacheMessage>(CHANNELS.cache, { key: 'k', vendor: 'dushu', hit: true });
    publish<CacheMessage>(CHANNELS.cache, { key: 'k', vendor: 'dushu', hit: false });
    publish<LeaseWaitMessage>(CHANNELS.leaseWait, { key: 'k', vendor: 'dushu', waitedMs: 250, outcome: 'timeout' });
    publish<StoreMessage>(CHANNELS.store, { key: 'k', vendor: 'dushu', state: 'unavailable', error: new Error(`connect ECONNREFUSED ${SECRET}`) });
    publish<QuotaMessage>(CHANNELS.quota, { key: 'k', vendor: 'dushu', state: 'exhausted', used: 2000, budget: 2000, resetsAt: 0 });

    const lookups = await metric('token_clients.cache.lookups');
    const byHit = Object.fromEntries(lookups!.dataPoints.map((point) => [String(point.attributes['token_clients.cache.hit']), point.value]));
    expect(byHit).toEqual({ true: 2, false: 1 });
    const wait = await metric('token_clients.lease.wait.duration');
    expect(wait!.dataPoints[0]).toMatchObject({ attributes: { 'token_clients.vendor': 'dushu', 'token_clients.lease.outcome': 'timeout' }, value: { sum: 0.25, count: 1 } });
    expect((await metric('token_clients.store.events'))!.dataPoints[0]).toMatchObject({ attributes: { 'token_clients.store.state': 'unavailable' }, value: 1 });
    expect((await metric('token_clients.quota.used'))!.dataPoints[0]!.value).toBe(2000);
    expect((await metric('token_clients.quota.exhausted'))!.dataPoints[0]!.value).toBe(1);
    // What the store said is not exported: it could hold anything.
    expect(JSON.stringify(await collected())).not.toContain(SECRET);
  });

  it('stop when disabled', async () => {
    instrumentation.disable();
    instrumentation.disable();
    diagnostics_channel.channel(CHANNELS.cache).publish({ key: 'k', vendor: 'dushu', hit: true } satisfies CacheMessage);
    await request.tracePromise(async () => {}, requestContext());
    expect(spans.getFinishedSpans()).toEqual([]);
    expect(await metric('token_clients.cache.lookups')).toBeUndefined();
    expect(diagnostics_channel.hasSubscribers(CHANNELS.cache)).toBe(false);
    // The refresh scope is unbound too: core's refreshes cost nothing more once instrumentation is off.
    expect(refresh.start.hasSubscribers).toBe(false);
  });
});
