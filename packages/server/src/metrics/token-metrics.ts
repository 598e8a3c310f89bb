import { subscribeMeasurements } from '@token-clients/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Names an app from a provider's store key (the channels carry keys; operators think in apps). */
export type AppOfKey = (key: string) => string | undefined;

/** Latency buckets, seconds: a token request takes tens of ms to seconds; a timeout is 10 s by default. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Prometheus metrics from core's `node:diagnostics_channel` channels, through core's one channel → measurement
 * adapter (`subscribeMeasurements`), which the OpenTelemetry package reads too. Returns the unsubscribe. No label carries a secret: vendors,
 * grants, app names, error codes and outcomes only.
 */
export function subscribeTokenMetrics(registry: Registry, appOfKey: AppOfKey): () => void {
  const registers = [registry];
  const app = (key: string) => appOfKey(key) ?? 'unknown';

  const requests = new Counter({
    name: 'token_clients_vendor_requests_total',
    help: 'Token requests sent to each vendor, by grant and outcome ("success" or the TokenError code).',
    labelNames: ['vendor', 'grant', 'outcome'],
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'token_clients_vendor_request_duration_seconds',
    help: 'How long token requests to each vendor took.',
    labelNames: ['vendor', 'grant', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const refreshSeconds = new Histogram({
    name: 'token_clients_refresh_duration_seconds',
    help: 'How long refreshes took, by app, whether they ran ahead of expiry, and outcome ("success" or the TokenError code).',
    labelNames: ['app', 'vendor', 'background', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const failures = new Counter({
    name: 'token_clients_refresh_failures_total',
    help: 'Refreshes that failed, by app and TokenError code.',
    labelNames: ['app', 'vendor', 'code'],
    registers,
  });
  const cache = new Counter({
    name: 'token_clients_cache_lookups_total',
    help: 'getToken() calls answered, by app and result ("hit": served without waiting for a refresh; "miss").',
    labelNames: ['app', 'vendor', 'result'],
    registers,
  });
  const leaseWaits = new Histogram({
    name: 'token_clients_lease_wait_duration_seconds',
    help: "Waits for another replica's refresh (the lease held elsewhere), by how they ended.",
    labelNames: ['app', 'vendor', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const storeEvents = new Counter({
    name: 'token_clients_store_events_total',
    help: 'Store outages ("unavailable"), recoveries and unreadable records ("corrupt") as providers saw them.',
    labelNames: ['app', 'vendor', 'state'],
    registers,
  });
  const quotaUsed = new Gauge({
    name: 'token_clients_quota_used',
    help: "Token requests counted today against the app's daily budget (reported once the warning threshold is passed).",
    labelNames: ['app', 'vendor'],
    registers,
  });
  const quotaBudget = new Gauge({ name: 'token_clients_quota_budget', help: "The app's daily budget of token requests.", labelNames: ['app', 'vendor'], registers });
  const quotaExhausted = new Counter({
    name: 'token_clients_quota_exhausted_total',
    help: 'Times an app reached its daily budget of token requests.',
    labelNames: ['app', 'vendor'],
    registers,
  });

  const cacheChildren = new Map<string, Counter.Internal>();

  return subscribeMeasurements({
    request({ vendor, grant, outcome, seconds }) {
      const labels = { vendor, grant, outcome };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    refresh({ key, vendor, background, outcome, seconds, error }) {
      refreshSeconds.observe({ app: app(key), vendor, background: String(background), outcome }, seconds);
      if (error) failures.inc({ app: app(key), vendor, code: error.code });
    },
    // Published on every cache hit, so on every token served: each key's two bound children are made once,
    // and a hit costs a Map lookup instead of hashing three labels.
    cache(message) {
      const series = `${message.hit ? 'h' : 'm'}${message.key}`;
      let child = cacheChildren.get(series);
      if (child === undefined) {
        child = cache.labels({ app: app(message.key), vendor: message.vendor, result: message.hit ? 'hit' : 'miss' });
        cacheChildren.set(series, child);
      }
      child.inc();
    },
    leaseWait: ({ key, vendor, outcome, seconds }) => leaseWaits.observe({ app: app(key), vendor, outcome }, seconds),
    store: ({ key, vendor, state }) => storeEvents.inc({ app: app(key), vendor, state }),
    quota(message) {
      const labels = { app: app(message.key), vendor: message.vendor };
      quotaUsed.set(labels, message.used);
      quotaBudget.set(labels, message.budget);
      if (message.state === 'exhausted') quotaExhausted.inc(labels);
    },
  });
}
