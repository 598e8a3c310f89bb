const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Gives `target` a safe public face: `JSON.stringify`, `util.inspect`, `console.log` and `String()` show
 * `view` (which must hold no secret) instead of the object itself. Clients and providers keep their
 * secrets in closures, never in properties; this keeps it that way for whatever they expose.
 */
export function withRedactedView<T extends object>(target: T, name: string, view: Record<string, unknown>): T {
  Object.defineProperties(target, {
    toJSON: { value: () => ({ ...view }), enumerable: false },
    [INSPECT]: { value: () => `${name} ${JSON.stringify(view)}`, enumerable: false },
    toString: { value: () => `${name} ${JSON.stringify(view)}`, enumerable: false },
  });
  return target;
}
