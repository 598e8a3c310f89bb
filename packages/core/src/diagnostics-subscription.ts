/**
 * Typed listening on core's diagnostics channels, so that a consumer (metrics, tracing) neither casts messages
 * nor re-derives when a trace is over. `@token-clients/opentelemetry` and `@token-clients/server` are built on it.
 */
import { CHANNELS, type ChannelMessages, type TraceContexts } from './diagnostics.js';
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
