import { AsyncLocalStorage } from 'node:async_hooks';
// Named imports: a default import of a Node built-in compiles, in the CommonJS build, to an interop helper.
import { tracingChannel } from 'node:diagnostics_channel';
import {
  context as otelContext,
  metrics as otelMetrics,
  SpanKind,
  SpanStatusCode,
  trace as otelTrace,
  type Attributes,
  type Context,
  type MeterProvider,
  type Span,
  type TracerProvider,
} from '@opentelemetry/api';
import { CHANNELS, subscribeMeasurements, subscribeTrace, type RefreshContext } from '@token-clients/core';
import { ATTR, serverAttributes } from './attributes.js';

/** Options of {@link instrumentTokenClients}. */
export interface InstrumentationOptions {
  /** Where spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`, or the SDK's). */
  tracerProvider?: TracerProvider;
  /** Where metrics go. Default: the global meter provider. */
  meterProvider?: MeterProvider;
}

/** A running instrumentation. */
export interface Instrumentation {
  /** Stops listening to the channels. Spans still open are left unended. Idempotent. */
  disable(): void;
}

/** The instrumentation scope's name, as spans and metrics report it. */
export const INSTRUMENTATION_NAME = '@token-clients/opentelemetry';

/**
 * Turns token-clients' `node:diagnostics_channel` channels into OpenTelemetry spans and metrics:
 *
 * - a `CLIENT` span per token request to a vendor (`POST`, with `http.request.method`, `url.full` without its
 *   query, `server.address`, `server.port`, `http.response.status_code`, `error.type` = the `TokenError` code),
 *   and the `http.client.request.duration` histogram of the HTTP semantic conventions;
 * - an `INTERNAL` span per refresh (`token refresh`, with vendor, whether it ran ahead of expiry, and whether
 *   the token came from the vendor or another process through the store), and `token_clients.refresh.duration`;
 * - counters of cache lookups (hit or miss), store events and quota exhaustion, the lease-wait histogram and
 *   a gauge of the quota used.
 *
 * Nothing carries a secret: core's messages hold none, and no token, key or subject is put on a span.
 * Call it once at start-up, after the OpenTelemetry SDK is set up.
 *
 * @example
 * import { instrumentTokenClients } from '@token-clients/opentelemetry';
 * instrumentTokenClients(); // global providers, e.g. from @opentelemetry/sdk-node
 */
export function instrumentTokenClients(options: InstrumentationOptions = {}): Instrumentation {
  const tracer = (options.tracerProvider ?? otelTrace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME);
  const meter = (options.meterProvider ?? otelMetrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME);

  const requestDuration = meter.createHistogram('http.client.request.duration', {
    unit: 's',
    description: 'Duration of token requests to vendors (HTTP client semantic conventions).',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  });
  const refreshDuration = meter.createHistogram('token_clients.refresh.duration', { unit: 's', description: 'Duration of token refreshes.' });
  const cacheLookups = meter.createCounter('token_clients.cache.lookups', { unit: '{lookup}', description: 'getToken() calls answered, hit or miss.' });
  const leaseWait = meter.createHistogram('token_clients.lease.wait.duration', { unit: 's', description: "Waits for another process's refresh." });
  const storeEvents = meter.createCounter('token_clients.store.events', { unit: '{event}', description: 'Store outages, recoveries and unreadable records.' });
  const quotaUsed = meter.createGauge('token_clients.quota.used', { unit: '{request}', description: "Token requests counted today against a credential's daily budget." });
  const quotaExhausted = meter.createCounter('token_clients.quota.exhausted', { unit: '{event}', description: 'Times a daily budget was reached.' });

  const requestSpans = new WeakMap<object, Span>();
  const refreshSpans = new WeakMap<object, Span>();

  // The refresh a token request is made for. core traces each refresh with tracePromise, which enters the stores
  // bound to the trace's start around the refresh's whole async work: a token request traced inside it finds
  // the refresh span here and becomes its child, instead of its sibling under the caller's span.
  const refreshScope = new AsyncLocalStorage<Context>();
  const refreshStart = tracingChannel(CHANNELS.refresh).start;
  refreshStart.bindStore(refreshScope, (message) => {
    const refresh = message as RefreshContext;
    const parent = otelContext.active();
    const span = tracer.startSpan(
      'token refresh',
      { kind: SpanKind.INTERNAL, attributes: { [ATTR.vendor]: refresh.vendor, [ATTR.background]: refresh.background } },
      parent,
    );
    refreshSpans.set(refresh, span);
    return otelTrace.setSpan(parent, span);
  });

  const unsubscribers = [
    () => refreshStart.unbindStore(refreshScope),
    subscribeTrace('request', {
      start(request) {
        const attributes: Attributes = {
          [ATTR.httpRequestMethod]: request.method,
          [ATTR.urlFull]: request.url,
          ...serverAttributes(request.url),
          [ATTR.vendor]: request.vendor,
          [ATTR.grant]: request.grant,
        };
        // Span name per the HTTP conventions: the method alone (no low-cardinality route is known).
        const parent = refreshScope.getStore() ?? otelContext.active();
        const span = tracer.startSpan(request.method, { kind: SpanKind.CLIENT, attributes }, parent);
        requestSpans.set(request, span);
      },
      settled(request) {
        const span = requestSpans.get(request);
        if (!span) return;
        requestSpans.delete(request);
        const status = request.result?.status ?? request.error?.status;
        if (status !== undefined) span.setAttribute(ATTR.httpResponseStatusCode, status);
        const requestId = request.result?.requestId ?? request.error?.requestId;
        if (requestId !== undefined) span.setAttribute(ATTR.requestId, requestId);
        if (request.error) failed(span, request.error);
        span.end();
      },
    }),
    // Its span is made as the refresh scope is entered (above), just before this subscription's start runs.
    subscribeTrace('refresh', {
      settled(refresh) {
        const span = refreshSpans.get(refresh);
        if (!span) return;
        refreshSpans.delete(refresh);
        if (refresh.result) span.setAttribute(ATTR.source, refresh.result.source);
        if (refresh.error) failed(span, refresh.error);
        span.end();
      },
    }),
    // The metrics come from core's channel → measurement adapter, as the token service's Prometheus metrics do.
    subscribeMeasurements({
      request({ method, url, vendor, status, error, seconds }) {
        const metric: Attributes = { [ATTR.httpRequestMethod]: method, ...serverAttributes(url), [ATTR.vendor]: vendor };
        if (status !== undefined) metric[ATTR.httpResponseStatusCode] = status;
        if (error) metric[ATTR.errorType] = error.code;
        requestDuration.record(seconds, metric);
      },
      refresh({ vendor, background, source, error, seconds }) {
        const metric: Attributes = { [ATTR.vendor]: vendor, [ATTR.background]: background };
        if (source) metric[ATTR.source] = source;
        if (error) metric[ATTR.errorType] = error.code;
        refreshDuration.record(seconds, metric);
      },
      cache: (message) => cacheLookups.add(1, { [ATTR.vendor]: message.vendor, [ATTR.cacheHit]: message.hit }),
      leaseWait: ({ vendor, outcome, seconds }) => leaseWait.record(seconds, { [ATTR.vendor]: vendor, [ATTR.leaseOutcome]: outcome }),
      store: (message) => storeEvents.add(1, { [ATTR.vendor]: message.vendor, [ATTR.storeState]: message.state }),
      quota(message) {
        quotaUsed.record(message.used, { [ATTR.vendor]: message.vendor });
        if (message.state === 'exhausted') quotaExhausted.add(1, { [ATTR.vendor]: message.vendor });
      },
    }),
  ];

  let enabled = true;
  return {
    disable() {
      if (!enabled) return;
      enabled = false;
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}

/** Marks a span failed with a `TokenError`: `error.type` is its code; the message is core's redacted one. */
function failed(span: Span, error: { code: string; message: string; retryable: boolean }): void {
  span.setAttribute(ATTR.errorType, error.code);
  span.setAttribute(ATTR.retryable, error.retryable);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}
