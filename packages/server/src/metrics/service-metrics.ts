import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { subscribeTokenMetrics, type AppOfKey } from './token-metrics.js';

/** The service's metrics: its own (served tokens, HTTP requests), core's channels, and the process's. */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** One token answered to a caller. */
  served(app: string, caller: string, kind: 'app' | 'user'): void;
  /** One HTTP request answered. `route` is the route's pattern, never the raw URL (which a caller controls). */
  request(method: string, route: string, status: number, seconds: number): void;
  /** Stops listening to the channels. */
  close(): void;
}

/** Creates the registry `/metrics` serves. One per service, so two services in one process keep apart. */
export function createServiceMetrics(appOfKey: AppOfKey): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'token_clients_service_' });
  const registers = [registry];
  const served = new Counter({
    name: 'token_clients_served_tokens_total',
    help: 'Access tokens served to callers, by app, caller and kind ("app" token or a "user" token).',
    labelNames: ['app', 'caller', 'kind'],
    registers,
  });
  const requests = new Counter({
    name: 'http_server_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'How long HTTP requests took to answer.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers,
  });
  const unsubscribe = subscribeTokenMetrics(registry, appOfKey);
  // The label sets of the hot path are few (apps × callers, routes × statuses): each one's bound children are
  // made once, so a request costs a Map lookup rather than hashing its labels into prom-client's series.
  const servedChildren = new Map<string, Counter.Internal>();
  const requestChildren = new Map<string, { count: Counter.Internal; seconds: Histogram.Internal<string> }>();
  return {
    registry,
    served(app, caller, kind) {
      const key = `${app}\u0000${caller}\u0000${kind}`;
      let child = servedChildren.get(key);
      if (child === undefined) {
        child = served.labels({ app, caller, kind });
        servedChildren.set(key, child);
      }
      child.inc();
    },
    request(method, route, status, seconds) {
      const key = `${method}\u0000${route}\u0000${status}`;
      let children = requestChildren.get(key);
      if (children === undefined) {
        const labels = { method, route, status: String(status) };
        children = { count: requests.labels(labels), seconds: duration.labels(labels) };
        requestChildren.set(key, children);
      }
      children.count.inc();
      children.seconds.observe(seconds);
    },
    close: unsubscribe,
  };
}
