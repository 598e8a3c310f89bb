// Named imports: a default import of a Node built-in compiles, in the CommonJS build, to an interop helper.
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';

/** The events of a tracing channel this package uses; each receives the trace's context object. */
export interface TraceHandlers<Context extends object> {
  start(context: Context): void;
  /** The traced promise settled; `context.error` is set when it rejected. */
  settled(context: Context): void;
}

/**
 * Subscribes to a tracing channel; returns the unsubscribe. A promise trace publishes `error` and then
 * `asyncEnd` when it rejects, and a synchronous throw publishes `error` then `end` with no `asyncEnd`:
 * `settled` runs once in every case.
 */
export function subscribeTrace<Context extends object>(name: string, handlers: TraceHandlers<Context>): () => void {
  const channel = tracingChannel(name);
  const open = new WeakSet<object>();
  const settle = (context: object) => {
    if (!open.delete(context)) return;
    handlers.settled(context as Context);
  };
  const subscribers = {
    start(context: object) {
      open.add(context);
      handlers.start(context as Context);
    },
    end(context: object) {
      // Only a synchronous throw ends a trace here; a promise trace ends at asyncEnd.
      if ((context as { error?: unknown }).error !== undefined) settle(context);
    },
    asyncStart() {},
    asyncEnd: settle,
    error() {},
  };
  channel.subscribe(subscribers as unknown as Parameters<typeof channel.subscribe>[0]);
  return () => channel.unsubscribe(subscribers as unknown as Parameters<typeof channel.unsubscribe>[0]);
}

/** Subscribes to a plain channel; returns the unsubscribe. */
export function subscribeChannel<Message>(name: string, onMessage: (message: Message) => void): () => void {
  const listener = (message: unknown) => onMessage(message as Message);
  subscribe(name, listener);
  return () => unsubscribe(name, listener);
}
