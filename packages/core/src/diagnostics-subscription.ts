/**
 * Typed listening on core's diagnostics channels, so that a consumer (metrics, tracing) neither casts messages
 * nor re-derives when a trace is over — and, on top, the one adapter from channels to measurements that
 * `@token-clients/opentelemetry` and `@token-clients/server` are built on.
 */
import {
  CHANNELS,
  type CacheMessage,
  type ChannelMessages,
  type LeaseWaitMessage,
  type QuotaMessage,
  type StoreMessage,
  type TraceContexts,
} from './diagnostics.js';
import type { TokenError } from './token-error.js';
import { subscribe, subscribeTracing } from './runtime-builtins.js';

/** What to do when a traced call starts and when it is over. */
export interface TraceHandlers<Context extends object> {
  /** The traced call began. */
  start?(context: Context): void;
  /** The traced call is over: `context.result` is set, or `context.error` when it failed. Runs once per trace. */
  settled?(context: Context): void;
}

/**
 * Calls `onMessage` with each message published on one of core's plain channels; returns the unsubscribe.
 * Where the runtime has no `diagnostics_channel` (a worker without `nodejs_compat`) core publishes nothing, and
 * this subscribes to nothing.
 *
 * @example
 * subscribeChannel('cache', ({ key, hit }) => (hit ? hits : misses).inc({ key }));
 */
export function subscribeChannel<Key extends keyof ChannelMessages>(key: Key, onMessage: (message: ChannelMessages[Key]) => void): () => void {
  return subscribe(CHANNELS[key], (message) => onMessage(message as ChannelMessages[Key]));
}

/**
 * Calls `handlers.start` when a call traced on one of core's tracing channels begins and `handlers.settled` once
 * when it is over; returns the unsubscribe. `settled` runs once whichever way the trace ends: a promise that
 * resolves (`asyncEnd`), one that rejects (`error`, then `asyncEnd`) or a synchronous throw (`error`, then `end`,
 * no `asyncEnd`). A trace already running when this subscribed is not reported.
 */
export function subscribeTrace<Key extends keyof TraceContexts>(key: Key, handlers: TraceHandlers<TraceContexts[Key]>): () => void {
  const open = new WeakSet<object>();
  const settle = (context: object) => {
    if (open.delete(context)) handlers.settled?.(context as TraceContexts[Key]);
  };
  return subscribeTracing(CHANNELS[key], {
    start(context) {
      open.add(context);
      handlers.start?.(context as TraceContexts[Key]);
    },
    end(context) {
      // `end` closes the synchronous part of every trace; only a synchronous throw has an error by then.
      if ((context as { error?: unknown }).error !== undefined) settle(context);
    },
    asyncStart() {},
    asyncEnd: settle,
    error() {},
  });
}

/** A token request to a vendor, once it is over. */
export interface RequestMeasurement {
  vendor: string;
  grant: string;
  method: string;
  /** The token endpoint's URL without its query string. */
  url: string;
  /** How long the request took, seconds (real time). */
  seconds: number;
  /** `success`, or the `TokenError`'s code. */
  outcome: string;
  /** The HTTP status, when an answer arrived. */
  status?: number;
  /** The vendor's request id, when it sent one. */
  requestId?: string;
  /** The failure, if it failed. */
  error?: TokenError;
}

/** A provider's refresh, once it is over. */
export interface RefreshMeasurement {
  key: string;
  vendor: string;
  background: boolean;
  /** How long the refresh took, seconds (real time). */
  seconds: number;
  /** `success`, or the `TokenError`'s code. */
  outcome: string;
  /** Whether the token came from the vendor or from another process through the store, when it succeeded. */
  source?: 'vendor' | 'store';
  error?: TokenError;
}

/** A wait for another process's refresh, with its length in seconds. */
export interface LeaseWaitMeasurement extends LeaseWaitMessage {
  seconds: number;
}

/** What to do with each kind of measurement; only the kinds given are subscribed to. */
export interface MeasurementHandlers {
  request?(measurement: RequestMeasurement): void;
  refresh?(measurement: RefreshMeasurement): void;
  /** Each answered `getToken()` (the channel's message as it is: this runs on every cache hit). */
  cache?(message: CacheMessage): void;
  leaseWait?(measurement: LeaseWaitMeasurement): void;
  store?(message: StoreMessage): void;
  quota?(message: QuotaMessage): void;
}

/**
 * The one adapter from core's channels to measurements, for any metrics backend: traces become durations with
 * an outcome (`success` or the error's code), lease waits get seconds, the other messages pass as they are.
 * `@token-clients/opentelemetry` and the token service's Prometheus metrics are both built on it, so the two
 * cannot measure differently. Returns the unsubscribe.
 *
 * @example
 * subscribeMeasurements({ request: (m) => histogram.observe({ vendor: m.vendor, outcome: m.outcome }, m.seconds) });
 */
export function subscribeMeasurements(handlers: MeasurementHandlers): () => void {
  const { request, refresh, cache, leaseWait, store, quota } = handlers;
  const unsubscribers: (() => void)[] = [];
  const started = new WeakMap<object, number>();
  const start = (context: object) => started.set(context, performance.now());
  const secondsSince = (context: object) => (performance.now() - (started.get(context) ?? performance.now())) / 1000;
  if (request) {
    unsubscribers.push(
      subscribeTrace('request', {
        start,
        settled(context) {
          const { vendor, grant, method, url, result, error } = context;
          const status = result?.status ?? error?.status;
          const requestId = result?.requestId ?? error?.requestId;
          request({
            vendor,
            grant,
            method,
            url,
            seconds: secondsSince(context),
            outcome: error?.code ?? 'success',
            ...(status === undefined ? {} : { status }),
            ...(requestId === undefined ? {} : { requestId }),
            ...(error === undefined ? {} : { error }),
          });
        },
      }),
    );
  }
  if (refresh) {
    unsubscribers.push(
      subscribeTrace('refresh', {
        start,
        settled(context) {
          const { key, vendor, background, result, error } = context;
          refresh({
            key,
            vendor,
            background,
            seconds: secondsSince(context),
            outcome: error?.code ?? 'success',
            ...(result === undefined ? {} : { source: result.source }),
            ...(error === undefined ? {} : { error }),
          });
        },
      }),
    );
  }
  if (cache) unsubscribers.push(subscribeChannel('cache', cache));
  if (leaseWait) unsubscribers.push(subscribeChannel('leaseWait', (message) => leaseWait({ ...message, seconds: message.waitedMs / 1000 })));
  if (store) unsubscribers.push(subscribeChannel('store', store));
  if (quota) unsubscribers.push(subscribeChannel('quota', quota));
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
