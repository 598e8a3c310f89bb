import { tracingChannel } from 'node:diagnostics_channel';
import { SpanKind } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CHANNELS, createTokenProvider, TokenError, type TokenRequestContext } from '@token-clients/core';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentTokenClients } from '../src/index.js';

// A real core provider publishes on the channels; the SDK's in-memory exporters receive what this package made.

const exporter = new InMemorySpanExporter();
const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
const instrumentation = instrumentTokenClients({
  tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  meterProvider: new MeterProvider({ readers: [reader] }),
});

afterEach(() => exporter.reset());

describe('with a real provider', () => {
  it('a refresh becomes a span and the cache lookups a counter; a failure carries its code', async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    let fail = false;
    const provider = createTokenProvider({
      key: 'e2e:app',
      vendor: 'e2e',
      clock,
      requestToken: async () => {
        if (fail) throw new TokenError({ code: 'server_error', vendor: 'e2e', message: 'e2e answered 503' });
        return { accessToken: 'access-token-not-exported', tokenType: 'bearer', expiresAt: now + 3_600_000, raw: {} };
      },
    });
    await provider.getToken();
    await provider.getToken();
    const [refresh] = exporter.getFinishedSpans();
    expect(refresh).toMatchObject({ name: 'token refresh', kind: SpanKind.INTERNAL, attributes: { 'token_clients.vendor': 'e2e', 'token_clients.refresh.background': false, 'token_clients.refresh.source': 'vendor' } });

    fail = true;
    now += 3_600_000; // expired: the next caller waits for the refresh and sees its error
    await expect(provider.getToken()).rejects.toMatchObject({ code: 'server_error' });
    expect(exporter.getFinishedSpans().at(-1)!.attributes['error.type']).toBe('server_error');

    await reader.forceFlush();
    const lookups = metrics
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))
      .filter((metric) => metric.descriptor.name === 'token_clients.cache.lookups')
      .at(-1);
    const hits = lookups!.dataPoints.find((point) => point.attributes['token_clients.cache.hit'] === true);
    expect(hits?.value).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes))).not.toContain('access-token-not-exported');
    await provider.close();
  });

  it("the vendor request a refresh makes is that refresh's child", async () => {
    let now = 1_000_000;
    const request = tracingChannel<unknown, TokenRequestContext>(CHANNELS.request);
    const provider = createTokenProvider({
      key: 'e2e:nested',
      vendor: 'e2e',
      clock: { now: () => now },
      // What the vendor kit does around each token request: a trace on the request channel.
      requestToken: () =>
        request.tracePromise(
          async () => ({ accessToken: 'access-token-not-exported', tokenType: 'bearer', expiresAt: now + 3_600_000, raw: {} }),
          { vendor: 'e2e', grant: 'client_credentials', url: 'https://e2e.example/token', method: 'POST' },
        ),
    });
    await provider.getToken();
    now += 3_600_000;
    await provider.getToken();
    const finished = exporter.getFinishedSpans();
    const refreshes = finished.filter((span) => span.name === 'token refresh');
    const requests = finished.filter((span) => span.name === 'POST');
    expect(refreshes).toHaveLength(2);
    expect(requests.map((span) => span.parentSpanContext?.spanId)).toEqual(refreshes.map((span) => span.spanContext().spanId));
    await provider.close();
    instrumentation.disable();
  });
});
