// Named imports: a default import of a Node built-in compiles, in the CommonJS build, to an interop helper.
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';

/** The handlers of a tracing channel's events; each receives the trace's context object. */
export interface TraceHandlers<Context extends object> {
  /** The traced call began. */
  start?(context: Context): void;
  /** The traced promise settled (`context.result` or `context.error` is set). */
  asyncEnd?(context: Context): void;
  /** The traced call failed (`context.error` is set). */
  error?(context: Context): void;
}

/** Subscribes to a tracing channel; returns the unsubscribe. */
export function subscribeTrace<Context extends object>(name: string, handlers: TraceHandlers<Context>): () => void {
  const channel = tracingChannel(name);
  const all = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {}, ...handlers } as unknown as Parameters<typeof channel.subscribe>[0];
  channel.subscribe(all);
  return () => channel.unsubscribe(all);
}

/** Subscribes to a plain channel; returns the unsubscribe. */
export function subscribeChannel<Message>(name: string, onMessage: (message: Message) => void): () => void {
  const listener = (message: unknown) => onMessage(message as Message);
  subscribe(name, listener);
  return () => unsubscribe(name, listener);
}

/**
 * Measures a trace's duration: `start` notes the instant on its context, `finish` returns the seconds since
 * (once: a promise trace publishes both `error` and `asyncEnd`, and only the first counts).
 */
export class TraceTimer {
  readonly #started = new WeakMap<object, number>();

  /** Notes when the trace of `context` began. */
  start(context: object): void {
    this.#started.set(context, performance.now());
  }

  /** Seconds since `start`, or `undefined` when this context was not started here or was already finished. */
  finish(context: object): number | undefined {
    const started = this.#started.get(context);
    if (started === undefined) return undefined;
    this.#started.delete(context);
    return (performance.now() - started) / 1000;
  }
}
