/**
 * The two Node built-ins core uses — `node:diagnostics_channel` to report what it does, `node:util` to look
 * inside a foreign error for secrets — taken from the runtime when it has them (`process.getBuiltinModule`:
 * Node ≥ 20.16, Bun, Deno, workers with `nodejs_compat`) instead of imported. So core imports no Node module:
 * it bundles for, and runs on, a worker without compatibility flags, where its channels are silent stand-ins.
 */
import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import type * as Util from 'node:util';

function builtin<Module>(id: string): Module | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return typeof runtime?.getBuiltinModule === 'function' ? (runtime.getBuiltinModule(id) as Module | undefined) : undefined;
  } catch {
    return undefined;
  }
}

const diagnostics = builtin<typeof DiagnosticsChannel>('node:diagnostics_channel');

/** A plain channel: what core publishes on. */
export interface PublishChannel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/** A tracing channel: what core traces a promise with. */
export interface TraceChannel<Result, Context extends object> {
  readonly hasSubscribers: boolean;
  tracePromise(run: () => Promise<Result>, context: Context): Promise<Result>;
}

const SILENT_CHANNEL: PublishChannel = { hasSubscribers: false, publish() {} };
const SILENT_TRACE: TraceChannel<never, object> = { hasSubscribers: false, tracePromise: (run) => run() };

/** The named channel, or a silent stand-in where the runtime has no `diagnostics_channel`. */
export function channel(name: string): PublishChannel {
  return diagnostics?.channel(name) ?? SILENT_CHANNEL;
}

/**
 * The named tracing channel, or a silent stand-in where the runtime has no `diagnostics_channel`. Whether anyone
 * listens is asked of its five event channels: Bun's tracing channel has no `hasSubscribers` of its own.
 */
export function tracingChannel<Result, Context extends object>(name: string): TraceChannel<Result, Context> {
  const traced = diagnostics?.tracingChannel<Result, Context>(name);
  if (traced === undefined) return SILENT_TRACE as TraceChannel<Result, Context>;
  const events = [traced.start, traced.end, traced.asyncStart, traced.asyncEnd, traced.error];
  return {
    get hasSubscribers() {
      return events.some((event) => event.hasSubscribers);
    },
    tracePromise: (run, context) => traced.tracePromise(run, context),
  };
}

/** Listens on the named channel; returns the unsubscribe. A no-op where nothing can be published either. */
export function subscribe(name: string, onMessage: (message: unknown) => void): () => void {
  if (diagnostics === undefined) return () => {};
  diagnostics.subscribe(name, onMessage);
  return () => diagnostics.unsubscribe(name, onMessage);
}

/** The five events of a tracing channel, each given the trace's context object. */
export interface TraceSubscribers {
  start(context: object): void;
  end(context: object): void;
  asyncStart(context: object): void;
  asyncEnd(context: object): void;
  error(context: object): void;
}

/** Listens on the named tracing channel; returns the unsubscribe. A no-op where nothing is traced either. */
export function subscribeTracing(name: string, subscribers: TraceSubscribers): () => void {
  const traced = diagnostics?.tracingChannel(name);
  if (traced === undefined) return () => {};
  // Node types the subscribers by the channel's context type, which is unknown here.
  const typed = subscribers as unknown as Parameters<typeof traced.subscribe>[0];
  traced.subscribe(typed);
  return () => traced.unsubscribe(typed);
}

/** `util.inspect`, where the runtime has it. */
export const inspect: typeof Util.inspect | undefined = builtin<typeof Util>('node:util')?.inspect;
